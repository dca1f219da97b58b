// `{}` (and other messages whose id cannot be read) piped to `mcpwire serve --stdio`: the
// error reply omits the id. Checked against each era's schema: 2025-11-25 and 2026-07-28 make
// the error response's id optional (a string or an integer, never null), so the reply is valid
// there, and `"id": null` (JSON-RPC 2.0 section 5, what the official SDKs send over HTTP) is
// not; the schemas before 2025-11-25 require a string or integer id, which no reply to `{}`
// can have, so neither shape is valid there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getValidator, type SchemaVersion } from '../conformance/schema.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

/** Pipe `lines` to a fresh `mcpwire serve --stdio`, close its stdin, and collect its replies. */
async function replies(lines: string[]): Promise<Array<Record<string, unknown>>> {
  const child = spawn(process.execPath, [bin, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  await closed;
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const valid = (version: SchemaVersion, definition: string, value: unknown) => getValidator(version, definition)(value).length === 0;

const unreadable = suite('stdio: the reply to a message whose id cannot be read');

unreadable('omits the id, and is a valid error response in the 2025-11-25 and 2026-07-28 schemas', async () => {
  const got = await replies(['{}', '{"jsonrpc":"2.0","id":null,"method":"ping"}', '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', '[]']);
  assert.is(got.length, 4, JSON.stringify(got));
  for (const reply of got) {
    assert.is(reply.error && (reply.error as { code: number }).code, -32600, JSON.stringify(reply));
    assert.not.ok('id' in reply, `no id, not even null: ${JSON.stringify(reply)}`);
    for (const version of ['2025-11-25', '2026-07-28'] as const) {
      assert.ok(valid(version, 'JSONRPCErrorResponse', reply), `${version}: ${JSON.stringify(reply)}`);
      assert.not.ok(valid(version, 'JSONRPCErrorResponse', { ...reply, id: null }), `${version} refuses id null`);
    }
    // Before 2025-11-25 the id is required and never null: no reply to `{}` can be valid there.
    assert.not.ok(valid('2025-06-18', 'JSONRPCError', reply));
    assert.not.ok(valid('2025-06-18', 'JSONRPCError', { ...reply, id: null }));
  }
});

unreadable('a readable id is echoed even when the rest is wrong', async () => {
  const [reply] = await replies(['{"jsonrpc":"1.0","id":7,"method":"ping"}']);
  assert.is(reply?.id, 7);
  assert.ok(valid('2025-06-18', 'JSONRPCError', reply));
});

unreadable.run();
