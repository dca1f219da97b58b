// A hostile client of `mcpwire serve --stdio` (session 32). Its bytes reach the operator's
// terminal through stderr: a line that is not JSON is reported with the parse error, which
// quotes the line. Before, that quote was written raw: NUL bytes, an escape sequence that
// retitles or clears the terminal, a right-to-left override reordering the line. Now each is
// written as an escape (`\x1b`, `\u202e`); the client still gets its parse error on stdout, and
// the server serves on. NUL inside a JSON string (escaped) and CRLF line ends are served.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { killAll, spawnCli } from './host-harness.ts';

const test = suite('serve --stdio: a hostile client');
test.after(killAll);

/** What a terminal would act on, in what serve wrote to stderr (its own line ends aside). */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('control bytes in a bad line reach stderr escaped; NUL in a string and CRLF lines are served', async () => {
  const serve = spawnCli(['serve', '--stdio']);
  serve.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }));
  serve.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  serve.send('\x1b]0;owned\x07\x1b[2J\0\u202eevil\x9b31m');
  serve.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'a\0b' } } })}\r\n`);
  serve.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' })}\r\n`);
  await serve.waitFor(/^\{"jsonrpc":"2.0","id":3,"result":\{\}\}\r?$/m, { stream: 'stdout', timeoutMs: 15_000 });
  const out = serve.out();
  assert.match(out, /"id":2,"result":\{"content":\[\{"type":"text","text":"a\\u0000b"\}\]/);
  assert.match(out, /"code":-32700/);
  const err = await serve.waitFor(/invalid message from peer: Parse error[^\n]*\n/, { stream: 'stderr', timeoutMs: 15_000 });
  assert.not.match(serve.err(), RAW_CONTROL, JSON.stringify(serve.err()));
  assert.match(err[0], /\\x1b\]0;owned\\x07/);
  serve.child.stdin!.end();
  assert.is(await serve.exited(15_000), 0, serve.err());
});

test.run();
