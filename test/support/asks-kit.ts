/**
 * The host's question handlers (host/asks.ts) over a scripted terminal, with calls running on
 * one fake connection: what they print and ask, each question answered by the test by hand.
 */
import { join } from 'node:path';
import { createAskHandlers } from '../../host/asks.ts';
import { createCallOutput } from '../../host/calls.ts';
import type { Connection } from '../../host/connection-types.ts';
import { createCallHistory } from '../../host/history.ts';
import { createLocalSummariser } from '../../host/sampling.ts';
import { tempDir } from '../host-harness.ts';
import { scriptedTerminal } from '../scripted-terminal.ts';

/** One call of each of `tools` running on a server `local` of `kind` (request ids 1, 2, ...). */
export async function setUpAsks(tools: string[], kind: 'stdio' | 'http' = 'stdio') {
  const dir = await tempDir('mcpwire-asks-');
  const { term, printed, asked, nextAsk } = scriptedTerminal();
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const history = createCallHistory({ file: join(dir.path, 'history.json'), onError: (e) => { throw e; } });
  const conn = { name: 'local', spec: { kind }, reconnects: 0, hold() {}, holdQuestion() {}, release() {}, releaseOnNext() {}, noteProgress() {} } as unknown as Connection;
  const calls = tools.map((tool, i) => {
    const record = history.begin({ server: 'local', serverName: 'local', tool, args: {}, requestId: i + 1 });
    const call = output.add(record.n, { conn, tool, args: {}, resumed: false, quiet: false });
    call.requestId = i + 1;
    return { call, record };
  });
  const shutdown = new AbortController();
  const asks = createAskHandlers({
    term, output, shutdown: shutdown.signal, yes: false, provider: createLocalSummariser(), openUrl: undefined,
    history, pageLines: 1_000, recordOf: (c) => calls.find((x) => x.call === c)?.record,
  });
  const done = async () => {
    for (const { call } of calls) output.finish(call);
    shutdown.abort();
    await history.flush();
    await dir.remove();
  };
  // The live lines as a terminal draws them (scriptedTerminal is a pipe, which draws none).
  const live = new Map<string, string>();
  (term as { tty: boolean }).tty = true;
  (term as { setLive(key: string, line: string | undefined): void }).setLive = (key, line) => { if (line === undefined) live.delete(key); else live.set(key, line); };
  return { conn, asks, output, live, printed, asked, nextAsk, calls: calls.map((c) => c.call), done };
}
