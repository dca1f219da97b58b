// What `npm pack` ships, as a user installs it: the library and the CLI, no test harnesses, no
// path of the machine that built it, every `exports` target present, and no import of a
// package the user's install does not bring (devDependencies). Every source map carries the
// TypeScript it maps to (`sourcesContent`): the maps named `../../client/client.ts`, which the
// tarball does not ship, so a debugger stepping into the package, a stack trace under
// `--enable-source-maps` and a bundler's source-map loader found no source.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string; dependencies: Record<string, string>; bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};
const hasDist = existsSync(fileURLToPath(new URL('../dist/server/index.js', import.meta.url)));

/** The files `npm pack` would put in the tarball (dry run; scripts not run, dist/ as built). */
async function packed(): Promise<string[]> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { stdout } = await promisify(execFile)(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const [report] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return report!.files.map((f) => f.path);
}

/** Bare specifiers a built module imports (static, dynamic with a literal, re-exports, require). */
function bareImports(source: string): string[] {
  const found = new Set<string>();
  const IMPORT = /(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"]([^'"./][^'"]*)['"]|import\(\s*['"]([^'"./][^'"]*)['"]\s*\)|^import\s*['"]([^'"./][^'"]*)['"]|require(?:\.resolve)?\(\s*['"]([^'"./][^'"]*)['"]\s*\)/gm;
  for (const m of source.matchAll(IMPORT)) found.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return [...found];
}

/** The package a specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const contents = suite('npm pack: what a user installs');
let files: string[] = [];

contents.before(async () => {
  if (hasDist) files = await packed();
});

if (!hasDist) console.log('  (package contents skipped: no dist/, run npm run build)');
const run = hasDist ? contents : contents.skip;

run('ships no test files, fixtures, fake servers or test harnesses', () => {
  // conformance/fixtures/ is public: the tools the official suite expects (`registerFixtures`, `serve --fixtures`).
  const harness = /(^|\/)(test|bench)\/|(?<!conformance\/)fixtures\/|\.test(-d)?\.|fake-server|test-server|conformance\/(faults|official)\//;
  assert.equal(files.filter((f) => harness.test(f)), []);
  assert.ok(files.includes('dist/server/index.js'), 'the library is in it');
});

run('every exports target and the bin are in the tarball', () => {
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : [t.types!, t.default!]));
  const missing = [...targets, ...Object.values(pkg.bin)].map((t) => t.replace(/^\.\//, '')).filter((t) => !files.includes(t));
  assert.equal(missing, []);
});

run('no shipped file names the directory it was built in', () => {
  const here = root.replace(/[\\/]$/, '');
  const naming = files.filter((f) => readFileSync(`${root}/${f}`, 'utf8').includes(here));
  assert.equal(naming, [], `files containing ${here}`);
});

run('built modules import only node: builtins, the package itself and its dependencies', () => {
  const allowed = new Set([...Object.keys(pkg.dependencies), pkg.name]);
  const builtins = new Set(builtinModules);
  const strays: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    for (const spec of bareImports(readFileSync(`${root}/${file}`, 'utf8'))) {
      if (spec.startsWith('node:') || builtins.has(spec) || allowed.has(packageOf(spec))) continue;
      strays.push(`${file}: ${spec}`);
    }
  }
  assert.equal(strays, []);
});

run('every shipped source map carries its sources, or names files the tarball ships', () => {
  const unmapped: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(`${root}/${file}`, 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
    map.sources.forEach((source, i) => {
      if (typeof map.sourcesContent?.[i] === 'string') return;
      const target = posix.normalize(posix.join(posix.dirname(file), source));
      if (!files.includes(target)) unmapped.push(`${file}: ${source}`);
    });
  }
  assert.equal(unmapped.slice(0, 5), [], `${unmapped.length} map sources neither inlined nor shipped`);
  assert.ok(files.some((f) => f.endsWith('.js.map')), 'the maps are shipped');
});

contents.run();
