// A server that accepts connections but never answers held the host's start (and "list")
// with nothing on screen until the connect timeout, 15 s later (userwalk s12: a slow server
// among three). Past a short wait the host now says whom it waits for.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createCallHistory } from '../host/history.ts';
import { createHost } from '../host/host.ts';
import { createPaint } from '../host/progress-view.ts';
import { DEFAULT_RESTART_POLICY } from '../host/restarts.ts';
import { createLocalSummariser } from '../host/sampling.ts';
import type { Terminal } from '../host/terminal.ts';
import { createMcpHttpHandler, createServer as createMcpServer } from 'mcpwire/server';
import { defaultAllowedHosts, listen, type ExchangeServable } from 'mcpwire/transport';
import { registerDemoTools } from 'mcpwire/examples';
import { tempDir } from './host-harness.ts';

/** A terminal that keeps what is printed; `printedMatching` resolves the first line matching. */
function createTestTerminal() {
  const printed: string[] = [];
  let waiter: { pattern: RegExp; resolve(line: string): void } | undefined;
  const term = {
    tty: false, paint: createPaint(false), columns: 80, rows: undefined, asking: false,
    start() {}, setLive() {}, close() {}, ask: async () => undefined,
    print: (text: string) => {
      printed.push(text);
      if (waiter?.pattern.test(text)) waiter.resolve(text);
    },
  } as unknown as Terminal;
  const printedMatching = (pattern: RegExp) => new Promise<string>((resolve) => {
    const seen = printed.find((l) => pattern.test(l));
    if (seen !== undefined) resolve(seen);
    else waiter = { pattern, resolve };
  });
  return { term, printed, printedMatching };
}

const slow = suite('host: a server that does not answer');

slow('the host says it is waiting for it, naming it, instead of showing nothing', async () => {
  const silent: Server = createServer(() => { /* never answers */ });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`;
  const dir = await tempDir('mcpwire-slow-connect-');
  const { term, printed, printedMatching } = createTestTerminal();
  const history = createCallHistory({ file: join(dir.path, 'history.json'), onError: (e) => { throw e; } });
  const host = createHost({
    specs: [{ name: 'sleepy', kind: 'http', url, headers: {} }], store: createMemoryResumeStore(), term, yes: false,
    provider: createLocalSummariser(), logLevel: 'info', callTimeoutMs: 60_000, verbose: false, openUrl: undefined,
    roots: [], history, pageLines: 20, restart: DEFAULT_RESTART_POLICY, slowConnectNoticeMs: 50,
  });
  try {
    const index = host.toolIndex();
    index.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('(nothing said after 10 s)'), 10_000); });
    const line = await Promise.race([printedMatching(/waiting for/), late]).finally(() => clearTimeout(timer));
    assert.match(line, /… waiting for sleepy to answer \(connecting\)/, printed.join('\n'));
  } finally {
    silent.closeAllConnections();
    silent.close();
    await host.stop();
    await dir.remove();
  }
});

slow('one that did not answer in time is not waited for again: later commands go on, it is retried in the background and announced once it answers', async () => {
  const mcp = createMcpServer({ name: 'late', version: '1' });
  registerDemoTools(mcp);
  const ref: ExchangeServable = { exchange: () => new Promise(() => { /* mute: takes the request, never answers */ }) };
  const listening = await listen(ref, { host: '127.0.0.1', port: 0 });
  const handler = createMcpHttpHandler(mcp, { allowedHosts: defaultAllowedHosts('127.0.0.1', listening.port) });
  const dir = await tempDir('mcpwire-slow-connect-');
  const { term, printed, printedMatching } = createTestTerminal();
  const history = createCallHistory({ file: join(dir.path, 'history.json'), onError: (e) => { throw e; } });
  const host = createHost({
    specs: [{ name: 'late', kind: 'http', url: `http://127.0.0.1:${listening.port}/mcp`, headers: {} }], store: createMemoryResumeStore(), term, yes: false,
    provider: createLocalSummariser(), logLevel: 'info', callTimeoutMs: 60_000, verbose: false, openUrl: undefined,
    roots: [], history, pageLines: 20, restart: DEFAULT_RESTART_POLICY, connectTimeoutMs: 2_000, // also what the retry has to answer in: 2 s for an in-process handshake
  });
  try {
    const [first] = await host.toolIndex();
    assert.match(first!.error ?? '', /^late did not answer in time \(initialize timed out after 2000 ms\)$/, 'the connect timeout is the option given');
    ref.exchange = handler.exchange; // it answers from now on
    const [second] = await host.toolIndex();
    assert.match(second!.error ?? '', /did not answer in time .*; trying again in the background$/, 'not waited for a second time');
    await printedMatching(/✓ late answers now/);
    const [third] = await host.toolIndex();
    assert.ok(third!.tools?.some((t) => t.name === 'echo'), printed.join('\n'));
    assert.is(printed.filter((l) => /answers now/.test(l)).length, 1);
  } finally {
    await host.stop();
    await handler.close();
    await listening.close();
    await dir.remove();
  }
});

slow.run();
