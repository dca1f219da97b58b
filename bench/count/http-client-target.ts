/**
 * The HTTP client target (issue #20's b and c rows, the client's side): the bench's client
 * process (`client-main X`) counted, running workload b (one session, `--sessions 1`) or c (S
 * sessions at once) with SSE or JSON replies, against its own implementation's server, which
 * runs natively (valgrind does not follow other processes). The client keeps a latency a call
 * in b and a promise a session in c, the same in every implementation.
 */
import { spawn } from 'node:child_process';
import { within, type Target } from './launch.ts';
import { readyUrl } from './http-target.ts';
import type { BenchScripts } from './stdio-target.ts';

/** The reply modes the client side is counted with (raw is an implementation here, `--impl raw`). */
export const CLIENT_MODES = ['sse', 'json'] as const;

/**
 * The target for `impl`'s client with `mode` replies and `sessions` at once (the warm-up and
 * the calls split evenly among them). `replyMs` bounds the server's start and each 1,000 calls
 * of the client's whole run.
 */
export function httpClientTarget(impl: string, mode: string, sessions: number, scripts: BenchScripts, replyMs: number): Target {
  const workload = sessions === 1 ? `b-${mode}` : mode === 'json' ? 'c-json' : 'c';
  return {
    name: `http-client-${mode}-${impl}${sessions === 1 ? '' : `-x${sessions}`}`,
    nodeArgs: ['--expose-gc', scripts.clientMain, impl],
    async drive({ child, exited }, warmup, calls) {
      if (warmup % sessions !== 0 || calls % sessions !== 0) throw new Error(`${warmup} warm-up and ${calls} calls do not split evenly over ${sessions} sessions`);
      const server = spawn(process.execPath, ['--expose-gc', scripts.serverMain, '--impl', impl, '--http', ...(mode === 'json' ? ['--json'] : [])]);
      let serverErr = '';
      server.stderr.setEncoding('utf8').on('data', (chunk: string) => { serverErr = (serverErr + chunk).slice(-2000); });
      const serverExited = new Promise<number | null>((done) => server.once('exit', done));
      try {
        const url = await within(readyUrl({ child: server, exited: serverExited, stderr: () => serverErr }), replyMs, 'the server\'s start');
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
        const sizes = sessions === 1 ? { calls, warmup } : { sessions, calls: calls / sessions, warmup: warmup / sessions };
        child.stdin.end(`${JSON.stringify({ impl, workload, url, sizes, stdio: { command: '', args: [] } })}\n`);
        const code = await within(exited, replyMs * Math.ceil((warmup + calls) / 1000), 'the client\'s run');
        if (code !== 0) throw new Error(`the client exited with ${code}: ${out.slice(0, 300)}`);
        const result = JSON.parse(out) as { lost?: number };
        if (result.lost !== 0) throw new Error(`${result.lost} of ${warmup + calls} echo replies were wrong`);
      } finally {
        server.kill('SIGTERM');
      }
    },
  };
}
