// How test/run.js runs a test file by default (TEST_BUNDLE=0 turns it off): bundled by esbuild
// and run by Node without tsx's loader, about a second less CPU a file (tsx's own start and a
// hook call per module). Each module keeps its own import.meta.url (replaced by its file's URL
// as the module is loaded), so paths relative to a test or a fixture still resolve; packages
// stay imports, loaded from node_modules. The replacement is textual, strings included: a
// module whose string holds `import.meta.url` (a bundle's banner, test/fixtures/bundle-client.ts)
// fails to build, and the runner runs its test files under tsx, saying so. A bundle also loads
// every package a lazily imported module imports at start: files that test such laziness run
// under tsx (their `// test-runner: tsx` line).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const metaKept = {
  name: 'import-meta-kept',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => (a.path === 'mcpwire' || a.path.startsWith('mcpwire/') ? undefined : { external: true }));
    b.onLoad({ filter: /\.ts$/ }, (a) => {
      let text = readFileSync(a.path, 'utf8');
      if (text.includes('import.meta')) {
        text = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(a.path)))
          .replaceAll('import.meta.filename', JSON.stringify(a.path));
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

/** The bundle's path for `file` (relative to root). Throws when esbuild cannot bundle it. */
export async function bundleTestFile(root, file) {
  const dir = join(root, '.cache', 'test-bundles', 'files');
  const out = join(dir, `${file.replace(/[^A-Za-z0-9]+/g, '-')}.mjs`);
  const result = await build({
    entryPoints: [join(root, file)], absWorkingDir: root, bundle: true, write: false, platform: 'node', format: 'esm',
    conditions: ['mcpwire-source'], logLevel: 'silent', outfile: out, plugins: [metaKept],
    target: `node${process.versions.node}`, // lowers what this Node lacks (`await using`), as tsx does
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(out, result.outputFiles[0].text);
  return relative(root, out);
}
