// A supported MCP-Protocol-Version header that differs from the version negotiated at
// initialization gets 400 (2025-06-18 basic/transports; issue #10, item 12).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeFixture } from './http-fixture.ts';

const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
const mismatch = suite('http server: the version header must match the negotiated version');

mismatch('a 2025-11-25 session refuses a 2025-06-18 header and accepts its own', async () => {
  const f = makeFixture();
  try {
    const sid = await f.initialize('2025-11-25');
    const wrong = await f.post(list, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' });
    assert.is(wrong.status, 400);
    assert.match(((await wrong.json()) as { error: { message: string } }).error.message, /differs from the negotiated 2025-11-25/);
    const right = await f.post(list, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    assert.is(right.status, 200);
    await right.text();
  } finally {
    await f.close();
  }
});

mismatch('a 2025-06-18 session refuses a 2025-11-25 header on GET too', async () => {
  const f = makeFixture();
  try {
    const sid = await f.initialize('2025-06-18');
    const wrong = await f.get({ 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    assert.is(wrong.status, 400);
    await wrong.text();
  } finally {
    await f.close();
  }
});

mismatch('a header that is no version gets 400 on a 2025-11-25 session, for a notification too (not a 202 that drops it)', async () => {
  // 2025-11-25 basic/transports: "an invalid or unsupported MCP-Protocol-Version" is 400.
  const f = makeFixture();
  try {
    const sid = await f.initialize('2025-11-25');
    const cancelled = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } };
    for (const value of ['banana', 'latest', '2099-1-1']) {
      for (const body of [list, cancelled]) {
        const reply = await f.post(body, { 'mcp-session-id': sid, 'mcp-protocol-version': value });
        assert.is(reply.status, 400, `${value} ${'id' in body ? 'request' : 'notification'}`);
        assert.match(((await reply.json()) as { error: { message: string } }).error.message, /unsupported MCP-Protocol-Version/);
      }
    }
  } finally {
    await f.close();
  }
});

mismatch('a future date in the header gets 400 on a 2025-11-25 session, for a notification too (-32022, no id)', async () => {
  // A date after 2026-07-28 is routed to the stateless path, which speaks 2026-07-28 only.
  const f = makeFixture();
  try {
    const sid = await f.initialize('2025-11-25');
    const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2099-01-01' };
    const cancelled = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } };
    const note = await f.post(cancelled, headers);
    assert.is(note.status, 400);
    const body = (await note.json()) as { id: unknown; error: { code: number; data: { requested: string } } };
    assert.not.ok('id' in body); // an error with no id (basic/transports)
    assert.is(body.error.code, -32022);
    assert.is(body.error.data.requested, '2099-01-01');
    const request = await f.post(list, headers);
    assert.is(request.status, 400);
    assert.ok(((await request.json()) as { error?: unknown }).error);
    // The negotiated version still goes through.
    const right = await f.post(cancelled, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' });
    assert.is(right.status, 202);
    await right.text();
  } finally {
    await f.close();
  }
});

mismatch('outside a session, an unknown version that is no date gets the stateless era\'s -32022 with the request\'s id', async () => {
  // The official suite's 2026-07-28 server leg probes server/discover with "v999.0.0" in both places.
  const f = makeFixture();
  try {
    const meta = { 'io.modelcontextprotocol/protocolVersion': 'v999.0.0', 'io.modelcontextprotocol/clientCapabilities': {} };
    const discover = { jsonrpc: '2.0', id: 301, method: 'server/discover', params: { _meta: meta } };
    {
      const reply = await f.post(discover, { 'mcp-protocol-version': 'v999.0.0', 'mcp-method': 'server/discover' });
      assert.is(reply.status, 400);
      const body = (await reply.json()) as { id?: unknown; error: { code: number; data: { requested: string; supported: string[] } } };
      assert.is(body.id, 301);
      assert.is(body.error.code, -32022);
      assert.is(body.error.data.requested, 'v999.0.0');
      assert.ok(body.error.data.supported.includes('2026-07-28'));
    }
  } finally {
    await f.close();
  }
});

mismatch.run();
