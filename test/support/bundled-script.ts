/**
 * A TypeScript script that tests spawn again and again (a fault server a check starts nine
 * times), bundled into one ES module so Node runs it without tsx: ~0.3 s of CPU a start
 * against ~1.1 s for `--import tsx` on the source (tsx's own start, then a hook call per
 * module). mcpwire's modules are bundled from source (the `mcpwire-source` condition, as the
 * tests import them); packages stay external and load from node_modules at run time.
 *
 * Built once per test process per script; the file under .cache/test-bundles/ is named by a
 * hash of its text and written by rename, so test files running side by side share it safely.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Inside the project, so the bundle's bare imports resolve from its node_modules. */
const DIR = join(ROOT, '.cache', 'test-bundles');

const built = new Map<string, Promise<string>>();
/** Bundles of an older text of the same script are removed after this long (a test file running beside may still start one). */
const STALE_MS = 24 * 60 * 60 * 1000;

/** Bare imports other than mcpwire's own stay imports: Node loads them from node_modules. */
const packagesExternal = {
  name: 'packages-external',
  setup(b: { onResolve(o: { filter: RegExp }, f: (a: { path: string }) => { external: boolean } | undefined): void }) {
    b.onResolve({ filter: /^[^./]/ }, (a) => (a.path === 'mcpwire' || a.path.startsWith('mcpwire/') ? undefined : { external: true }));
  },
};

async function bundle(script: string): Promise<string> {
  const result = await build({
    entryPoints: [script], absWorkingDir: ROOT, bundle: true, write: false, platform: 'node', format: 'esm',
    conditions: ['mcpwire-source'], logLevel: 'silent', outfile: join(DIR, 'out.mjs'), plugins: [packagesExternal],
  });
  const text = result.outputFiles[0]!.text;
  const name = relative(ROOT, script).replace(/[^A-Za-z0-9]+/g, '-');
  const path = join(DIR, `${name}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(path)) {
    mkdirSync(DIR, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, text);
    renameSync(partial, path); // whole or absent, whoever renames last
    for (const other of readdirSync(DIR)) {
      if (!new RegExp(`^${name}-[0-9a-f]{16}\\.mjs$`).test(other) || join(DIR, other) === path) continue;
      const stat = statSync(join(DIR, other), { throwIfNoEntry: false });
      if (stat !== undefined && Date.now() - stat.mtimeMs > STALE_MS) rmSync(join(DIR, other), { force: true });
    }
  }
  return path;
}

/**
 * The arguments that run `script` (an absolute path to a .ts file) with Node, in place of
 * `['--conditions=mcpwire-source', '--import', 'tsx', script]`.
 */
export async function bundledScript(script: string): Promise<string[]> {
  let path = built.get(script);
  if (path === undefined) {
    path = bundle(script);
    built.set(script, path);
  }
  return [await path];
}
