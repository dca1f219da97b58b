/**
 * Bytes allocated per call, by the function that allocated them: the inspector's sampling heap
 * profiler with the objects the GC already collected included, so what a call allocates and
 * drops counts, not only what stays alive. A count of bytes, not a time: it reads the same on a
 * loaded machine, and an allocation cut is what makes scavenges rarer. The loops in bench/
 * (`--alloc`) start it after their warm-up and print its table after their timed calls.
 */
import { Session } from 'node:inspector/promises';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** A running sampler: `stop(calls)` ends it and returns the table, per call, largest first. */
export interface AllocSampler {
  stop(calls: number, rows?: number): Promise<string>;
}

/** Start sampling allocations every `intervalBytes` (on average) from now. */
export async function startAllocSampler(intervalBytes = 256): Promise<AllocSampler> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
  });
  return {
    async stop(calls, rows = 30) {
      const { profile } = await session.post('HeapProfiler.stopSampling') as { profile: { head: SamplingNode } };
      session.disconnect();
      const bySite = new Map<string, number>();
      let total = 0;
      const walk = (node: SamplingNode): void => {
        const { functionName, url, lineNumber } = node.callFrame;
        // Paths from the package's own folders on: the table names files, not this machine.
        const file = url.replace(/^.*?\/(dist|node_modules|bench|transport|server|client|protocol)\//, '$1/');
        const site = `${functionName || '(anonymous)'} ${file || '(native)'}:${lineNumber + 1}`;
        bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
        total += node.selfSize;
        for (const child of node.children) walk(child);
      };
      walk(profile.head);
      const lines = [`${(total / calls).toFixed(0)} bytes allocated per call (sampled every ~${intervalBytes} B; the loop's own included)`];
      for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
        lines.push(`${(bytes / calls).toFixed(0).padStart(7)}  ${site}`);
      }
      return lines.join('\n');
    },
  };
}
