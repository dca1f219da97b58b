/**
 * The round-trip and notification shapes (issue #20's f-elicit, f-sample and d rows), counted
 * per round trip or per notification rather than per call. The counted process is the bench's
 * server (`count/server.js --mode sse|raw`, driven by the bench client of the same
 * implementation running natively) or the bench's client (`client-main X`, counted against its
 * own server running natively). Either way one call of the bench's `elicit`, `sample` or
 * `progress` tool carries W warm-up round trips (notifications), and a second call N or M more:
 * the two runs of a pair differ by M - N round trips, so "a call" in the counter's tables is
 * one round trip (f) or one notification (d) here.
 */
import { spawn } from 'node:child_process';
import { within, type Target } from './launch.ts';
import { readyUrl } from './http-target.ts';
import type { BenchScripts } from './stdio-target.ts';

/** The bench workloads counted per round trip (f, m-f) or per notification (d). */
export const TRIP_WORKLOADS = ['f-elicit', 'f-sample', 'd', 'm-f'] as const;

/**
 * The 2026-07-28 round trip (m-f): an `InputRequiredResult`, then the client's retry with the
 * answer and the echoed `requestState`. The server is driven by the m-f row's own client (the
 * bench's bare-socket one, the same against every server); a client is counted as the mc-f
 * row runs it, the implementation's own 2026-07-28 client against its own server.
 */
export const MODERN_TRIP = 'm-f';

/** The bench sizes for `workload`: a round trip or a notification is the counted unit. */
function sizesOf(workload: string, warmup: number, calls: number): Record<string, number> {
  return workload === 'd' ? { steps: calls, warmup } : { rounds: calls, warmup };
}

/**
 * Give the bench client process `child` (native, or the counted one) its job: `workload`
 * against `url`; resolve once it exited 0 with nothing lost, duplicated or noted. `replyMs`
 * bounds each 1,000 round trips of the run.
 */
async function runClient(job: { impl: string; workload: string; url: string; warmup: number; calls: number },
  child: ReturnType<typeof spawn>, exited: Promise<number | null>, replyMs: number): Promise<void> {
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  child.stdin!.end(`${JSON.stringify({
    impl: job.impl, workload: job.workload, url: job.url, sizes: sizesOf(job.workload, job.warmup, job.calls), stdio: { command: '', args: [] },
  })}\n`);
  const code = await within(exited, replyMs * Math.ceil((job.warmup + job.calls + 1) / 1000), 'the client\'s run');
  if (code !== 0) throw new Error(`the client exited with ${code}: ${out.slice(0, 300)}`);
  const result = JSON.parse(out) as { lost?: number; duplicated?: number; notes?: string[] };
  if (result.lost !== 0 || result.duplicated !== 0 || (result.notes?.length ?? 0) > 0) {
    throw new Error(`the client's run was not whole: ${out.slice(0, 300)}`);
  }
}

/**
 * The server side: `serverJs --mode mode` counted (sse: mcpwire's; raw: the raw ceiling's, whose
 * round trip is one POST and whose notifications are bare SSE events), driven by the bench
 * client of the same implementation, natively.
 */
export function tripServerTarget(serverJs: string, mode: string, workload: string, scripts: BenchScripts, replyMs: number): Target {
  // m-f's client is the same for every server (scenarios.ts connectModern); the name only loads an adapter.
  const impl = mode === 'raw' ? 'raw' : 'mcpwire';
  return {
    name: `http-${mode}-${workload}`,
    nodeArgs: [serverJs, '--mode', mode],
    async drive(counted, warmup, calls) {
      const url = await within(readyUrl(counted), replyMs, 'the server\'s start');
      const client = spawn(process.execPath, [scripts.clientMain, impl], { stdio: ['pipe', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((done) => client.once('exit', done));
      try {
        await runClient({ impl, workload, url, warmup, calls }, client, exited, replyMs);
      } finally {
        client.kill('SIGTERM');
      }
      // A normal exit on SIGTERM (server.ts), so callgrind writes its counts.
      counted.child.kill('SIGTERM');
    },
  };
}

/** The client side: `client-main impl` counted against its own implementation's server, natively. */
export function tripClientTarget(impl: string, workload: string, scripts: BenchScripts, replyMs: number): Target {
  const modern = workload === MODERN_TRIP;
  return {
    name: `http-client-${workload}-${impl}`,
    nodeArgs: ['--expose-gc', scripts.clientMain, impl],
    async drive({ child, exited, stderr }, warmup, calls) {
      const server = spawn(process.execPath, ['--expose-gc', scripts.serverMain, '--impl', impl, '--http', ...(modern ? ['--json', '--modern'] : [])]);
      let serverErr = '';
      server.stderr.setEncoding('utf8').on('data', (chunk: string) => { serverErr = (serverErr + chunk).slice(-2000); });
      const serverExited = new Promise<number | null>((done) => server.once('exit', done));
      try {
        const url = await within(readyUrl({ child: server, exited: serverExited, stderr: () => serverErr }), replyMs, 'the server\'s start');
        // m-f with the implementation's own client is the mc-f row's client side.
        await runClient({ impl, workload: modern ? 'mc-f' : workload, url, warmup, calls }, child, exited, replyMs).catch((error: unknown) => {
          throw new Error(`${(error as Error).message} ${stderr().slice(-300)}`);
        });
      } finally {
        server.kill('SIGTERM');
      }
    },
  };
}
