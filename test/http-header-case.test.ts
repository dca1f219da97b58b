// Header values the legacy Streamable HTTP server compares without regard to case (RFC 9110
// section 4.2.3: host names; section 8.3.1: media types): the value as sent is tried first and
// lowered only when that misses, so every spelling must still get the same answer.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeFixture } from './http-fixture.ts';

const cases = suite('http server: Host, Origin and Content-Type in any case');
const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } };

/** The status of a tools/call POSTed in a fresh session with `headers` replacing the fixture's. */
async function statusWith(headers: Record<string, string>): Promise<number> {
  const f = makeFixture({ responseMode: 'json' });
  try {
    const sid = await f.initialize();
    const res = await f.post(call, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25', ...headers });
    await res.text();
    return res.status;
  } finally {
    await f.close();
  }
}

cases('an allowed Host or Origin passes in any case; a foreign one is refused in any case', async () => {
  for (const host of ['127.0.0.1:3000', 'localhost:3000', 'LocalHost:3000', 'LOCALHOST:3000']) {
    assert.is(await statusWith({ host }), 200, host);
  }
  for (const host of ['evil.example:3000', 'EVIL.example:3000', 'localhost:3001', 'LOCALHOST:3001']) {
    assert.is(await statusWith({ host }), 403, host);
  }
  for (const origin of ['http://localhost:3000', 'HTTP://LocalHost:3000', 'https://127.0.0.1:3000']) {
    assert.is(await statusWith({ origin }), 200, origin);
  }
  for (const origin of ['http://evil.example', 'HTTP://EVIL.example', 'http://LOCALHOST:3001']) {
    assert.is(await statusWith({ origin }), 403, origin);
  }
});

cases('application/json passes as Content-Type in any case, with parameters and spaces; other types get 415', async () => {
  for (const type of ['application/json', 'Application/JSON', 'APPLICATION/JSON; charset=UTF-8', ' application/json ;charset=utf-8', 'application/Json ']) {
    assert.is(await statusWith({ 'content-type': type }), 200, type);
  }
  for (const type of ['application/jsonx', 'APPLICATION/JSONX', 'text/plain', 'application/json-seq; charset=utf-8', 'application', '']) {
    assert.is(await statusWith({ 'content-type': type }), 415, type);
  }
});

cases.run();
