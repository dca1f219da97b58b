/**
 * The stdio targets (issue #20's h row), each implementation against the bare newline-JSON echo
 * (`raw`): `server`, the bench's server process (`server-main --impl X --stdio`) counted and
 * driven from here as a bare client (initialize, then `tools/call` echo, each sent when the
 * previous answer came); `client`, the bench's client process (`client-main X`, workload h)
 * counted against its own server, which runs natively (valgrind does not follow children; the
 * client also keeps a latency a call and sorts them, the same in every implementation).
 */
import { within, type Counted, type Target } from './launch.ts';

/** The sides that can be counted. */
export const STDIO_SIDES = ['server', 'client'] as const;

/** The bench's compiled entry scripts (the counted process runs no loader). */
export interface BenchScripts {
  serverMain: string;
  clientMain: string;
}

/**
 * The target for `side` and `impl`. `replyMs`
 * bounds each answer (the first waits for node's start under valgrind: minutes on a loaded
 * machine), and, for the client side, each 1,000 calls of the whole run.
 */
export function stdioTarget(side: string, impl: string, scripts: BenchScripts, replyMs: number): Target {
  // --expose-gc: server-main collects before its final stats, as in the bench.
  if (side === 'client') {
    return {
      name: `stdio-client-${impl}`,
      nodeArgs: ['--expose-gc', scripts.clientMain, impl],
      async drive({ child, exited }, warmup, calls) {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
        child.stdin.end(`${JSON.stringify({
          impl, workload: 'h', url: '', sizes: { calls, warmup },
          stdio: { command: process.execPath, args: ['--expose-gc', scripts.serverMain, '--impl', impl, '--stdio'] },
        })}\n`);
        const code = await within(exited, replyMs * Math.ceil((warmup + calls) / 1000), 'the client\'s run');
        if (code !== 0) throw new Error(`the client exited with ${code}: ${out.slice(0, 300)}`);
      },
    };
  }
  return {
    name: `stdio-server-${impl}`,
    nodeArgs: ['--expose-gc', scripts.serverMain, '--impl', impl, '--stdio'],
    async drive(counted, warmup, calls) {
      const answer = answers(counted, replyMs);
      let id = 0;
      if (impl !== 'raw') {
        counted.child.stdin.write(`{"jsonrpc":"2.0","id":${++id},"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"count-stdio","version":"1"}}}\n`);
        await answer(id);
        counted.child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
      }
      for (let i = 0; i < warmup + calls; i++) {
        counted.child.stdin.write(`{"jsonrpc":"2.0","id":${++id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}\n`);
        await answer(id);
      }
      // A closed stdin ends the server normally, so callgrind writes its counts.
      counted.child.stdin.end();
    },
  };
}

/** A function that waits for the next stdout line and checks it answers `id`. */
function answers({ child, exited }: Counted, replyMs: number): (id: number) => Promise<void> {
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let buffered = '';
  let ended = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      lines.push(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
    wake?.();
  });
  void exited.then(() => {
    ended = true;
    wake?.();
  });
  return async (id) => {
    const next = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (lines.length > 0) resolve();
        else if (ended) reject(new Error(`the server exited before answering ${id}`));
        else wake = check;
      };
      check();
    });
    await within(next, replyMs, `the answer to ${id}`);
    wake = undefined;
    const line = lines.shift()!;
    if (!line.startsWith('{"') || !line.includes(`"id":${id},`) && !line.includes(`"id":${id}}`)) {
      throw new Error(`expected the answer to ${id}, got ${line.slice(0, 200)}`);
    }
  };
}
