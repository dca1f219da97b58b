// Content negotiation of the legacy Streamable HTTP server (2025-11-25 basic/transports: a POST
// MUST list application/json and text/event-stream in Accept): the Accept MCP clients send is
// matched whole, every other spelling is read part by part, and both give the same answer;
// media ranges and zero weights are read as RFC 9110 section 12.5.1 says.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeFixture } from './http-fixture.ts';

const accept = suite('http server: Accept on POST');
const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } };

/** The status of a tools/call POSTed in a fresh session with `value` as its Accept header. */
async function statusWith(value: string): Promise<number> {
  const f = makeFixture({ responseMode: 'json' });
  try {
    const sid = await f.initialize();
    const res = await f.post(call, { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25', accept: value });
    await res.text();
    return res.status;
  } finally {
    await f.close();
  }
}

accept('the spelling MCP clients send, and the same types spelled otherwise, are accepted', async () => {
  for (const value of ['application/json, text/event-stream', 'text/event-stream,application/json', 'Application/JSON ;q=0.9, TEXT/Event-Stream', '*/*']) {
    assert.is(await statusWith(value), 200, value);
  }
});

accept('one of the two types missing, or a near miss of the common spelling, gets 406', async () => {
  for (const value of ['application/json', 'text/event-stream', 'application/json, text/event-streams', 'application/json; text/event-stream']) {
    assert.is(await statusWith(value), 406, value);
  }
});

accept('media ranges admit the types they cover (RFC 9110 section 12.5.1)', async () => {
  for (const value of ['application/*, text/*', 'text/*, application/json', 'application/*;q=0.5, text/event-stream', '*/*;q=0.1']) {
    assert.is(await statusWith(value), 200, value);
  }
});

accept("a type or range weighted q=0 is not acceptable, a type's own weight winning over a range's (RFC 9110 section 12.4.2)", async () => {
  for (const value of ['application/json;q=0, text/event-stream', '*/*, text/event-stream;q=0', 'application/*, application/json; q=0.000, text/event-stream', '*/*;q=0']) {
    assert.is(await statusWith(value), 406, value);
  }
  assert.is(await statusWith('*/*;q=0, application/json, text/event-stream'), 200, 'both named, the range refused');
});

accept.run();
