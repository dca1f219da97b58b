// Where the spec schemas are looked for when mcpwire is installed as a package: never
// `node_modules/shared/spec` (beside `node_modules/mcpwire`, a folder another package may own),
// only MCP_SCHEMA_DIR or the pinned files in the cache, with a message naming both.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpError } from 'mcpwire/protocol';
import { checkoutSchemaDir, locateSchemaDir, SCHEMA_DIR_ENV } from './schema.ts';
import { PINNED_SCHEMA_DIGESTS, pinnedSchemaDir } from './schema-cache.ts';

const Installed = suite('schema folder of an installed package');

/** A temp tree with `node_modules/mcpwire` and a foreign `node_modules/shared/spec` holding every version. */
function installedTree(): { top: string; root: string; foreign: string; cache: string } {
  const top = mkdtempSync(join(tmpdir(), 'mcpwire-installed-'));
  const root = join(top, 'node_modules', 'mcpwire');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"name":"mcpwire"}');
  const foreign = join(top, 'node_modules', 'shared', 'spec');
  for (const v of Object.keys(PINNED_SCHEMA_DIGESTS)) {
    mkdirSync(join(foreign, v), { recursive: true });
    writeFileSync(join(foreign, v, 'schema.json'), '{"$defs":{}}');
  }
  return { top, root, foreign, cache: join(top, 'cache') };
}

Installed('node_modules/shared/spec is never taken for the spec schemas; the error names MCP_SCHEMA_DIR and the cache', () => {
  const { top, root, cache } = installedTree();
  try {
    assert.is(checkoutSchemaDir(root), undefined);
    let error: unknown;
    try {
      locateSchemaDir({ env: undefined, packageRoot: root, cacheDir: cache });
    } catch (caught) {
      error = caught;
    }
    assert.instance(error, McpError, 'no folder found');
    const message = (error as Error).message;
    assert.match(message, `looked in ${SCHEMA_DIR_ENV} (not set), the cache ${pinnedSchemaDir(cache)})`);
    assert.not.match(message, 'shared');
    assert.match(message, 'with a network');
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

Installed('installed, MCP_SCHEMA_DIR and then the cache are found', () => {
  const { top, root, foreign, cache } = installedTree();
  try {
    const own = join(top, 'schemas');
    mkdirSync(own);
    assert.is(locateSchemaDir({ env: own, packageRoot: root, cacheDir: cache }), own);
    for (const v of Object.keys(PINNED_SCHEMA_DIGESTS)) {
      mkdirSync(join(pinnedSchemaDir(cache), v), { recursive: true });
      writeFileSync(join(pinnedSchemaDir(cache), v, 'schema.json'), '{}');
    }
    assert.is(locateSchemaDir({ env: undefined, packageRoot: root, cacheDir: cache }), pinnedSchemaDir(cache));
    assert.is.not(locateSchemaDir({ env: '', packageRoot: root, cacheDir: cache }), foreign);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

Installed('a checkout (no node_modules in its path) still finds ../shared/spec first', () => {
  const top = mkdtempSync(join(tmpdir(), 'mcpwire-checkout-'));
  try {
    const root = join(top, 'repo');
    const spec = join(top, 'shared', 'spec');
    mkdirSync(root);
    mkdirSync(spec, { recursive: true });
    assert.is(checkoutSchemaDir(root), spec);
    assert.is(locateSchemaDir({ env: undefined, packageRoot: root, cacheDir: join(top, 'cache') }), spec);
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
});

Installed.run();
