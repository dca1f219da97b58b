// End of stdin on `mcpwire serve --stdio` (issue #10, item 9): answers still being worked on
// are written before the process exits, a last line without its newline is answered, and a
// request the server was waiting on the client for fails at once rather than hanging.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

const init = JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 't', version: '1' } } });
const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
const call = (id: number, name: string, args: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/** Write `input` to `mcpwire serve --stdio`, end stdin, and collect stdout until the process exits (bounded). */
function runToExit(input: string, timeoutMs = 15_000): Promise<{ code: number | null; lines: Array<Record<string, any>>; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--stdio'], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit within ${timeoutMs} ms; stdout=${out.slice(0, 500)} stderr=${err.slice(0, 500)}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);
      resolve({ code, lines, stderr: err });
    });
  });
}

const eof = suite('stdio: end of input');

eof('a call still running when stdin closes is answered before the process exits', async () => {
  const { code, lines } = await runToExit(`${init}\n${initialized}\n${call(1, 'count', { steps: 3, delayMs: 300 })}\n`);
  assert.is(code, 0);
  const answer = lines.find((l) => l.id === 1);
  assert.ok(answer, `no answer to the call in ${JSON.stringify(lines)}`);
  assert.equal(answer.result.content, [{ type: 'text', text: 'counted to 3' }]);
});

eof('a last line without a newline is answered', async () => {
  const { code, lines } = await runToExit(`${init}\n${initialized}\n${call(2, 'echo', { text: 'no newline' })}`);
  assert.is(code, 0);
  const answer = lines.find((l) => l.id === 2);
  assert.ok(answer, `no answer in ${JSON.stringify(lines)}`);
  assert.equal(answer.result.content, [{ type: 'text', text: 'no newline' }]);
});

eof('a call waiting on the client (elicitation) when stdin closes ends at once with an answer', async () => {
  const started = Date.now();
  const { code, lines } = await runToExit(`${init}\n${initialized}\n${call(3, 'ask_user', { question: 'name?' })}\n`);
  assert.is(code, 0);
  assert.ok(lines.some((l) => l.method === 'elicitation/create'), 'the elicitation was sent');
  const answer = lines.find((l) => l.id === 3);
  assert.ok(answer, `no answer in ${JSON.stringify(lines)}`);
  assert.ok(answer.error !== undefined || answer.result?.isError === true, JSON.stringify(answer));
  assert.ok(Date.now() - started < 10_000, 'not held until a timeout');
});

eof('a line over the limit as the very last input gets an error reply carrying its id', async () => {
  const huge = JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(5 * 1024 * 1024), id: 'inner' } }, id: 'last' });
  const { code, lines } = await runToExit(`${init}\n${initialized}\n${huge}`);
  assert.is(code, 0);
  const answer = lines.find((l) => l.id === 'last');
  assert.ok(answer, `no answer in ${JSON.stringify(lines).slice(0, 500)}`);
  assert.is(answer.error.code, -32600);
});

eof.run();
