// Malformed input on `mcpwire serve --stdio`: each bad line gets the right JSON-RPC error
// or a clean drop with a stderr diagnostic, and the next valid line is still served.
// Waits end on events (a line, a stderr match, or the server exiting), never on a fixed
// budget: on a loaded machine the server's start alone took longer than the 5 s each wait
// had, and the failed test left its server running, holding the file until the runner's
// limit. Every server is killed when its test ends, however it ends.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

interface Proc {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** The next stdout line as JSON; rejects if the server exits first. */
  next(): Promise<Record<string, any>>;
  send(line: string): void;
  /** Resolves once stderr contains `pattern`; rejects if the server exits first. */
  stderrMatches(pattern: RegExp): Promise<void>;
}

/** Servers started by the running test, killed when it ends (see `withServer`). */
const started = new Set<ChildProcessWithoutNullStreams>();

function start(): Proc {
  const child = spawn(process.execPath, [bin, 'serve', '--stdio'], { stdio: 'pipe' });
  started.add(child);
  let out = '';
  let err = '';
  let exited: string | undefined;
  const waiters: Array<() => void> = [];
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; wake(); });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; wake(); });
  child.once('exit', (code, signal) => { exited = `the server exited (${signal ?? code})`; wake(); });
  const until = (ready: () => boolean, what: string) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (ready()) resolve();
      else if (exited !== undefined) reject(new Error(`${exited} while waiting for ${what}; stdout=${out.slice(0, 500)} stderr=${err.slice(0, 500)}`));
      else waiters.push(check);
    };
    check();
  });
  return {
    child,
    stderr: () => err,
    async next() {
      await until(() => out.includes('\n'), 'a stdout line');
      const i = out.indexOf('\n');
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      return JSON.parse(line);
    },
    send: (line) => { child.stdin.write(`${line}\n`); },
    stderrMatches: (pattern) => until(() => pattern.test(err), `stderr ${pattern}`),
  };
}

/** End the server's stdin and wait for its exit code (already exited: at once). */
async function stop(p: Proc): Promise<number | null> {
  p.child.stdin.end();
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  return new Promise((resolve) => p.child.once('exit', (code) => resolve(code)));
}

/** A test body whose servers are killed when it ends, passed or failed. */
function withServers(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await body();
    } finally {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      started.clear();
    }
  };
}

const init = JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const echo = (id: number | string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: `after ${id}` } } });

const bad = suite('stdio: malformed input');

bad('each malformed line is answered precisely and the next valid line is served', withServers(async () => {
  const p = start();
  p.send(init);
  assert.is((await p.next()).id, 'init');
  p.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));

  const cases: Array<{ line: string; code: number; id?: unknown }> = [
    { line: '{this is not json', code: -32700 },
    { line: JSON.stringify({ jsonrpc: '1.0', id: 7, method: 'ping' }), code: -32600, id: 7 },
    { line: JSON.stringify({ jsonrpc: '2.0', id: null, method: 'ping' }), code: -32600 },
    { line: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'no/such/method' }), code: -32601, id: 8 },
    { line: JSON.stringify([{ jsonrpc: '2.0', id: 9, method: 'ping' }]), code: -32600 },
  ];
  let n = 100;
  for (const c of cases) {
    p.send(c.line);
    const reply = await p.next();
    assert.is(reply.error?.code, c.code, `for ${c.line}`);
    assert.is(reply.id, c.id, `id for ${c.line}`);
    p.send(echo(++n));
    const ok = await p.next();
    assert.is(ok.id, n);
    assert.equal(ok.result.content, [{ type: 'text', text: `after ${n}` }]);
  }
  assert.is(await stop(p), 0);
}));

bad('a response to nothing is dropped with a stderr diagnostic and nothing on stdout', withServers(async () => {
  const p = start();
  p.send(init);
  await p.next();
  p.send(JSON.stringify({ jsonrpc: '2.0', id: 424242, result: {} }));
  await p.stderrMatches(/unknown request id 424242/);
  p.send(echo(1));
  assert.is((await p.next()).id, 1, 'the next line is the echo answer, nothing in between');
  await stop(p);
}));

bad('a 10 MB line is dropped with a diagnostic, answered -32600 with its id, and the next line is served', withServers(async () => {
  const p = start();
  p.send(init);
  await p.next();
  const huge = JSON.stringify({ jsonrpc: '2.0', id: 'huge', method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(10 * 1024 * 1024) } } });
  p.send(huge);
  p.send(echo(2));
  const refused = await p.next();
  assert.is(refused.id, 'huge');
  assert.is(refused.error.code, -32600);
  assert.match(refused.error.message, /exceeds the limit of 4194304 bytes/);
  const reply = await p.next();
  assert.is(reply.id, 2);
  await p.stderrMatches(/the message of \d+ bytes exceeds the limit of 4194304 bytes/);
  await stop(p);
}));

bad('each oversize line is reported on stderr once, in one line that says what was dropped and the limit', withServers(async () => {
  const p = start();
  p.send(init);
  await p.next();
  const big = 'x'.repeat(4 * 1024 * 1024 + 10);
  p.send(JSON.stringify({ jsonrpc: '2.0', id: 'big', method: 'tools/call', params: { name: 'echo', arguments: { text: big } } }));
  assert.is((await p.next()).id, 'big');
  p.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { text: big } }));
  p.send(echo(3));
  assert.is((await p.next()).id, 3);
  assert.is(await stop(p), 0);
  const lines = p.stderr().split('\n').filter((l) => /4194304/.test(l));
  assert.is(lines.length, 2, `one line per oversize message, got:\n${lines.join('\n')}`);
  assert.match(lines[0]!, /request "big".*exceeds the limit of 4194304 bytes \(maxLineBytes\)/);
  assert.match(lines[1]!, /notification notifications\/progress|notification.*exceeds the limit of 4194304 bytes \(maxLineBytes\)/);
}));

bad.run();
