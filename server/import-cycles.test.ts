// server/ and protocol/ modules import each other without cycles, type-only imports included
// (server.ts once imported ServerFeature's type from the features that imported server.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Relative imports and re-exports of each non-test module of `folders`, as repository paths. */
function graph(folders: string[]): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const folder of folders) {
    for (const name of readdirSync(join(root, folder))) {
      if (!name.endsWith('.ts') || /\.test(-d)?\.ts$/.test(name)) continue;
      const file = `${folder}/${name}`;
      const text = readFileSync(join(root, file), 'utf8');
      const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => m[1]!);
      edges.set(file, specs.map((spec) => relative(root, normalize(join(root, dirname(file), spec)))));
    }
  }
  return edges;
}

/** One cycle, as a path of files, or undefined. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const visit = (file: string, path: string[]): string[] | undefined => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file)) return undefined;
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next, [...path, file]);
      if (cycle) return cycle;
    }
    done.add(file);
    return undefined;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file, []);
    if (cycle) return cycle;
  }
  return undefined;
}

const cycles = suite('imports: no cycles in server/ and protocol/');

cycles('no module reaches itself through its imports', () => {
  const edges = graph(['protocol', 'server']);
  assert.ok(edges.size > 30, `found only ${edges.size} modules`);
  const cycle = findCycle(edges);
  assert.is(cycle, undefined, `import cycle: ${cycle?.join(' -> ')}`);
});

cycles('the check finds a cycle when there is one', () => {
  assert.equal(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]])), ['a', 'b', 'c', 'a']);
  assert.is(findCycle(new Map([['a', ['b']], ['b', []]])), undefined);
});

cycles.run();
