/**
 * The work probe (`count work`, work.ts): loaded with `node --import` into a bench process, it
 * counts the async resources the process makes, by type (`async_hooks` `init`: promises, timers,
 * TCP writes...), and samples the bytes it allocates (the inspector's sampling heap profiler,
 * every 128 bytes on average, collected objects included, so what a round trip allocates and
 * drops counts), and writes both as JSON to the file `MCPWIRE_WORK_OUT` names when the process
 * exits. Counts of work, not times: they read the same on a loaded machine.
 *
 * With `MCPWIRE_WORK_STACKS=F` (`count work --stacks`), it also counts each resource by the
 * stack that made it: its type and the F innermost frames of the code that made it (the probe's
 * and async_hooks' own frames left out).
 *
 * The hook makes V8 allocate more per promise (its promise hooks are on): the bytes compare
 * between targets counted the same way, not with a process run without the probe.
 */
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/** What the probe writes: totals since start-up; work.ts subtracts two runs. */
export interface WorkCounts {
  /** Async resources made, by `async_hooks` type. */
  resources: Record<string, number>;
  /** Bytes sampled as allocated, in all. */
  bytes: number;
  /** Bytes sampled as allocated, by allocating function (`name file:line`). */
  byFunction: Record<string, number>;
  /** With `MCPWIRE_WORK_STACKS`: resources made, by type and stack (`TYPE\n  at frame\n  at frame...`). */
  stacks?: Record<string, number>;
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** From the package's own folders on: the names do not carry this machine's paths. */
const shortFile = (url: string) => url.replace(/^.*?\/(dist|node_modules|\.bench-build)\//, '$1/');

/** Frames of the stack that made a resource, not counted: the hook's own and async_hooks' machinery. */
const PROBE_FILE = import.meta.url;
const hookMachinery = (file: string) => file === PROBE_FILE || file.startsWith('node:internal/async_hooks') || file.startsWith('node:internal/promise_hooks');

/** The `frames` innermost frames of the code running now, outside the probe, as `  at name file:line` lines. */
function stackKey(frames: number): string {
  const saved = { prepare: Error.prepareStackTrace, limit: Error.stackTraceLimit };
  // Call sites, not text: a loader's or the program's own prepareStackTrace (source maps) stays out.
  Error.prepareStackTrace = (_error, sites) => sites;
  Error.stackTraceLimit = frames + 8;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder, stackKey);
  // Read before the hook is put back: V8 formats the stack on its first read.
  const sites = holder.stack ?? [];
  Error.prepareStackTrace = saved.prepare;
  Error.stackTraceLimit = saved.limit;
  const lines: string[] = [];
  for (const site of sites) {
    const file = site.getFileName() ?? '';
    if (hookMachinery(file)) continue;
    if (lines.length === frames) break;
    lines.push(`  at ${site.getFunctionName() ?? '(anonymous)'} ${file ? `${shortFile(file)}:${site.getLineNumber() ?? 0}` : '(native)'}`);
  }
  return lines.length > 0 ? lines.join('\n') : '  (no JavaScript on the stack)';
}

const outFile = process.env.MCPWIRE_WORK_OUT;
if (outFile !== undefined && outFile !== '') {
  const resources: Record<string, number> = {};
  const frames = Number(process.env.MCPWIRE_WORK_STACKS ?? 0);
  const stacks: Record<string, number> | undefined = frames > 0 ? {} : undefined;
  // Counted from the first resource on: the hook is the first thing the process runs.
  createHook({
    init(_id, type) {
      resources[type] = (resources[type] ?? 0) + 1;
      if (stacks) {
        const key = `${type}\n${stackKey(frames)}`;
        stacks[key] = (stacks[key] ?? 0) + 1;
      }
    },
  }).enable();
  const session = new Session();
  session.connect();
  // A session on the process's own thread answers at once, inside `post` (no promise, no tick).
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
  });
  process.once('exit', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error) throw error;
      const byFunction: Record<string, number> = {};
      let bytes = 0;
      const walk = (node: SamplingNode): void => {
        const { functionName, url, lineNumber } = node.callFrame;
        const file = shortFile(url);
        const site = `${functionName || '(anonymous)'} ${file || '(native)'}:${lineNumber + 1}`;
        byFunction[site] = (byFunction[site] ?? 0) + node.selfSize;
        bytes += node.selfSize;
        for (const child of node.children) walk(child);
      };
      walk((result as { profile: { head: SamplingNode } }).profile.head);
      const counts: WorkCounts = { resources, bytes, byFunction, ...(stacks ? { stacks } : {}) };
      writeFileSync(outFile, JSON.stringify(counts));
    });
  });
}
