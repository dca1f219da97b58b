/**
 * `npm run size`: the embedding footprint (issue #20 item 3). Each entry under
 * bench/size-entries/ imports the package's public exports the way a user would and is bundled
 * by esbuild (--bundle --minify --platform=node --format=esm --splitting), so a dependency the
 * library loads with `import()` lands in a chunk of its own. Printed per entry: what loads at
 * start (the entry chunk and the chunks it imports statically), what may load later (the
 * chunks behind `import()`), minified and gzipped, and the inputs that weigh most.
 *
 *   npm run size                # the library's TypeScript sources (the `mcpwire-source` export condition)
 *   npm run size -- --dist      # its compiled dist/ (npm run build first), what npm users get
 *   npm run size -- --json      # one JSON object per entry instead of the table
 */
import { build, type Metafile } from 'esbuild';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The package root (where package.json names the `mcpwire/*` exports the entries import). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The entries, one file each. */
export const ENTRY_DIR = join(ROOT, 'bench', 'size-entries');

/** Bytes of a set of chunks, minified and gzipped (each chunk on its own, as it is served). */
export interface Bytes {
  min: number;
  gzip: number;
}

/** One entry's footprint. */
export interface Footprint {
  entry: string;
  /** What loads when the entry is imported. */
  initial: Bytes;
  /** The chunks reached only through `import()` (0 when there are none). */
  lazy: Bytes;
  /** Input bytes in the output, by package (`undici`, `ajv`, ...) or the library's own folder (`mcpwire/client`), largest first. */
  initialInputs: Array<[string, number]>;
  lazyInputs: Array<[string, number]>;
  /** The input files with bytes in the output, at start and in the lazy chunks (`server/tasks/runtime.ts`, `node_modules/ajv-formats/dist/formats.js`). */
  initialFiles: string[];
  lazyFiles: string[];
}

/** Options of {@link measureEntry}. */
export interface MeasureOptions {
  /** Bundle the library's TypeScript sources (true, the default) or its built dist/. */
  source?: boolean;
}

/** The entries under bench/size-entries/, by name (file name without `.ts`). */
export function listEntries(): string[] {
  return readdirSync(ENTRY_DIR).filter((name) => name.endsWith('.ts')).map((name) => basename(name, '.ts')).sort();
}

/** Bundle one entry (a name from {@link listEntries}) and measure it. */
export async function measureEntry(entry: string, options: MeasureOptions = {}): Promise<Footprint> {
  const result = await build({
    entryPoints: [join(ENTRY_DIR, `${entry}.ts`)],
    absWorkingDir: ROOT,
    bundle: true, minify: true, splitting: true, platform: 'node', format: 'esm', target: 'node20',
    conditions: options.source === false ? [] : ['mcpwire-source'],
    outdir: join(ROOT, '.cache', 'size-out'), write: false, metafile: true, logLevel: 'silent',
  });
  const sizes = new Map(result.outputFiles.map((file) => [relativeOut(file.path), file.contents]));
  const outputs = result.metafile.outputs;
  // The entry's own chunk: chunks behind import() name an entry point too (the module imported).
  const main = Object.keys(outputs).find((path) => outputs[path]?.entryPoint === `bench/size-entries/${entry}.ts`);
  if (main === undefined) throw new Error(`esbuild produced no entry chunk for ${entry}`);
  const initial = staticClosure(outputs, main);
  const lazy = Object.keys(outputs).filter((path) => !initial.has(path) && path.endsWith('.js'));
  const bytesOf = (paths: Iterable<string>): Bytes => {
    let min = 0;
    let gzip = 0;
    for (const path of paths) {
      const contents = sizes.get(path);
      if (contents === undefined) throw new Error(`esbuild listed ${path} but did not write it`);
      min += contents.byteLength;
      gzip += gzipSync(contents).byteLength;
    }
    return { min, gzip };
  };
  return {
    entry,
    initial: bytesOf(initial), lazy: bytesOf(lazy),
    initialInputs: inputsOf(outputs, initial), lazyInputs: inputsOf(outputs, lazy),
    initialFiles: filesOf(outputs, initial), lazyFiles: filesOf(outputs, lazy),
  };
}

/** An output file's path as the metafile names it (relative to the working directory). */
function relativeOut(path: string): string {
  return path.startsWith(ROOT) ? path.slice(ROOT.length).replaceAll('\\', '/') : path;
}

/** `main` and every chunk it imports statically, transitively: what loads at start. */
function staticClosure(outputs: Metafile['outputs'], main: string): Set<string> {
  const seen = new Set<string>([main]);
  const queue = [main];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    for (const imported of outputs[path]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || imported.external || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

/** Input bytes in `paths`, grouped by package, largest first. */
function inputsOf(outputs: Metafile['outputs'], paths: Iterable<string>): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const path of paths) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[path]?.inputs ?? {})) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1]);
}

/** The input files with bytes in `paths`, relative to the package root (node_modules/... for dependencies). */
function filesOf(outputs: Metafile['outputs'], paths: Iterable<string>): string[] {
  const files = new Set<string>();
  for (const path of paths) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[path]?.inputs ?? {})) {
      if (bytesInOutput > 0) files.add(input.replace(/^(?:\.\.\/)*(?:[^/]+\/)*?(node_modules\/)/, '$1'));
    }
  }
  return [...files].sort();
}

/** `undici` for node_modules/undici/lib/..., `mcpwire/client` for client/x.ts or dist/client/x.js. */
export function packageOf(input: string): string {
  const inModules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (inModules?.[1] !== undefined) return inModules[1];
  const parts = input.replace(/^dist\//, '').split('/');
  if (parts.length === 1) return '(entry)';
  return parts[0] === 'bench' ? '(entry)' : `mcpwire/${parts[0]}`;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** The table `npm run size` prints. */
export function formatTable(footprints: readonly Footprint[], top = 5): string {
  const lines = ['| entry | at start: min / gzip | lazy chunks: min / gzip | largest inputs at start | in lazy chunks |', '|---|---|---|---|---|'];
  const list = (inputs: Array<[string, number]>): string => inputs.slice(0, top).map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ') || '-';
  for (const f of footprints) {
    const lazy = f.lazy.min === 0 ? '-' : `${kb(f.lazy.min)} / ${kb(f.lazy.gzip)}`;
    lines.push(`| ${f.entry} | ${kb(f.initial.min)} / ${kb(f.initial.gzip)} | ${lazy} | ${list(f.initialInputs)} | ${list(f.lazyInputs)} |`);
  }
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((arg) => arg !== '--dist' && arg !== '--json');
  if (unknown.length > 0) throw new Error(`npm run size: unknown argument ${unknown.join(' ')} (known: --dist, --json)`);
  const source = !argv.includes('--dist');
  const footprints: Footprint[] = [];
  for (const entry of listEntries()) footprints.push(await measureEntry(entry, { source }));
  if (argv.includes('--json')) for (const f of footprints) console.log(JSON.stringify(f));
  else console.log(`${formatTable(footprints)}\n\n(esbuild --bundle --minify --splitting --platform=node --format=esm; mcpwire from its ${source ? 'sources' : 'dist/'})`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
