// The layering of ARCHITECTURE.md, enforced: protocol <- transport <- server / client <-
// conformance / host / examples / bench; bin/ uses public entries only. protocol/ is platform-free; the outer folders use only
// the package's public exports; runtime code uses only the dependencies the README names.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = fileURLToPath(new URL('..', import.meta.url));
const isTestFile = (p: string) => /\.test(-d)?\.ts$/.test(p) || /(^|\/)fixtures\//.test(p) || /-fake-server\.ts$/.test(p) || /\.contract\.ts$/.test(p);

function sources(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, path));
    }
  };
  walk(join(root, folder));
  return out.filter((p) => !isTestFile(p));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) specs.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specs.push(m[1]!);
  return specs;
}

/** The top folder a relative import of `file` lands in. */
function targetFolder(file: string, spec: string): string {
  return relative(root, resolve(join(root, dirname(file)), spec)).split('/')[0]!;
}

const RUNTIME_DEPS = new Set(['ajv', 'ajv-formats', 'undici', 'eventsource-parser', 'ws', 'oauth4webapi', 'jose', '@redis/client', '@standard-schema/spec']);
// examples/recipes/ shows mounting in web frameworks (devDependencies; left out of the build).
const RECIPE_DEPS = new Set(['express', 'fastify', 'hono', '@hono/node-server', 'koa']);
const bare = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

const layers = suite('layering: one direction of dependency');

layers('protocol/ imports nothing from node: or third parties, and nothing outside itself', () => {
  for (const file of sources('protocol')) {
    for (const spec of importsOf(file)) {
      assert.ok(spec.startsWith('.'), `${file} imports ${spec}`);
      assert.is(targetFolder(file, spec), 'protocol', `${file} reaches outside protocol/: ${spec}`);
    }
  }
});

const allowedBelow: Record<string, string[]> = {
  transport: ['protocol', 'transport'],
  server: ['protocol', 'transport', 'server'],
  client: ['protocol', 'transport', 'client'],
};

for (const [folder, allowed] of Object.entries(allowedBelow)) {
  layers(`${folder}/ imports only from ${allowed.join(', ')}, node: and the named runtime dependencies`, () => {
    for (const file of sources(folder)) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('node:')) continue;
        if (spec.startsWith('.')) {
          assert.ok(allowed.includes(targetFolder(file, spec)), `${file} imports ${spec} (above its layer)`);
        } else {
          assert.ok(RUNTIME_DEPS.has(bare(spec)), `${file} imports ${spec}, which is not a named runtime dependency`);
        }
      }
    }
  });
}

layers('conformance/, host/ and examples/ use the public exports, never library internals', () => {
  for (const folder of ['conformance', 'host', 'examples']) {
    for (const file of sources(folder)) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) assert.is(targetFolder(file, spec), folder, `${file} reaches into ${spec}`);
        else if (!spec.startsWith('node:') && !spec.startsWith('mcpwire/')) {
          const recipe = file.startsWith('examples/recipes/') && RECIPE_DEPS.has(bare(spec));
          assert.ok(RUNTIME_DEPS.has(bare(spec)) || recipe, `${file} imports ${spec}`);
        }
      }
    }
  }
});

layers('host/ is a client product: it never imports mcpwire/server or mcpwire/examples', () => {
  for (const file of sources('host')) {
    for (const spec of importsOf(file)) {
      assert.not.ok(spec === 'mcpwire/server' || spec === 'mcpwire/examples', `${file} imports ${spec}`);
    }
  }
});

layers('bin/ imports only public entries (mcpwire/...), node: and its own files', () => {
  for (const file of sources('bin')) {
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) assert.is(targetFolder(file, spec), 'bin', `${file} reaches into ${spec}`);
      else assert.ok(spec.startsWith('node:') || spec.startsWith('mcpwire/'), `${file} imports ${spec}`);
    }
  }
});

layers('no library code imports the official SDK or the conformance suite', () => {
  for (const folder of ['protocol', 'transport', 'server', 'client', 'conformance', 'host', 'examples']) {
    for (const file of sources(folder)) {
      for (const spec of importsOf(file)) assert.not.ok(spec.startsWith('@modelcontextprotocol/'), `${file} imports ${spec}`);
    }
  }
});

layers('small shared helpers are defined once: asError and isObject in protocol/, conformance/ its own isObject', () => {
  const defined = new Map<string, string[]>();
  for (const folder of ['protocol', 'transport', 'server', 'client', 'conformance']) {
    for (const file of sources(folder)) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/^(?:export )?(?:function|const) (asError|isObject)\b/gm)) {
        defined.set(m[1]!, [...(defined.get(m[1]!) ?? []), file]);
      }
    }
  }
  assert.equal(defined.get('asError'), ['protocol/errors.ts']);
  assert.equal(defined.get('isObject'), ['protocol/jsonrpc.ts', 'conformance/validate-schema-checks.ts']);
});

layers('protocol/ compiles with no Node typings (types: [])', () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const out = (() => {
    try {
      return execFileSync(process.execPath, [tsc, '-p', join(root, 'protocol', 'tsconfig.json')], { encoding: 'utf8' });
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? error);
    }
  })();
  assert.is(out.trim(), '', out);
});

layers.run();
