// A stdio server's tool that calls console.log: stdout is reserved for MCP messages
// (2025-11-25 basic/transports, stdio: the server MUST NOT write anything to its stdout that
// is not a valid MCP message), and before, the client read "log: starting" and the rest as
// lines that are not messages. Now the stdio server transport sends every other write to
// stdout to stderr while it is open (`guardStdout`, default on for process.stdout), and puts
// process.stdout.write back when it closes. Raw pipes, so every byte on stdout is checked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const test = suite('stdio server: console output of a tool goes to stderr, not to the client');
const script = fileURLToPath(new URL('./console-log-server.ts', import.meta.url));

interface Session { stdoutLines: string[]; stderr: string; exitCode: number | null }

/** initialize, initialized, tools/call chatty; stdin closed once the call's answer is read. Bounded by 30 s. */
function session(env: Record<string, string> = {}): Promise<Session> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=mcpwire-source', '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no answer within 30 s; stdout: ${out}; stderr: ${err}`)); }, 30_000);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      // The answer to the call (id 2) ends the session: the client closes stdin.
      if (out.split('\n').some((l) => l.includes('"id":2') && l.includes('"result"'))) child.stdin.end();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdoutLines: out.split('\n').filter((l) => l !== ''), stderr: err, exitCode: code });
    });
    const send = (m: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'chatty', arguments: {} } });
  });
}

function parsed(line: string): Record<string, unknown> | undefined {
  try { return JSON.parse(line) as Record<string, unknown>; } catch { return undefined; }
}

test('every stdout line is a message, the call answers, the console output is on stderr, stdout.write put back', async () => {
  const s = await session();
  const notMessages = s.stdoutLines.filter((l) => parsed(l)?.jsonrpc !== '2.0');
  assert.equal(notMessages, [], 'lines on stdout that are not MCP messages');
  assert.equal(s.stdoutLines.map((l) => parsed(l)?.id), [1, 2]);
  assert.equal((parsed(s.stdoutLines[1]!)?.result as { content: unknown }).content, [{ type: 'text', text: 'done' }]);
  for (const text of ['log: starting\n', 'info: 3 items\n', 'debug: halfway\n', '│ (index) │', 'raw write\n']) assert.ok(s.stderr.includes(text), `${JSON.stringify(text)} on stderr: ${s.stderr}`);
  assert.match(s.stderr, 'closed; stdout.write restored: true');
  assert.is(s.exitCode, 0);
});

test('guardStdout: false leaves stdout alone (the console output reaches stdout, as the option says)', async () => {
  const s = await session({ MCPWIRE_TEST_GUARD: 'off' });
  assert.ok(s.stdoutLines.includes('log: starting'), s.stdoutLines.join('\n'));
  assert.ok(!s.stderr.includes('log: starting'));
});

test.run();
