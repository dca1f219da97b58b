// The schema folder is looked for once, not for every message checked: a check that
// walked the disk each time cost `mcpwire trace` ~0.3 ms a message (issue #21).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { getValidator, resolveSchemaDir, SCHEMA_DIR_ENV } from './schema.ts';

/** Count the file-system look-ups made while `fn` runs (fs's ESM exports patched too). */
function countLookups(fn: () => void): number {
  const saved = { existsSync: fs.existsSync, statSync: fs.statSync, readFileSync: fs.readFileSync };
  let count = 0;
  const counted = <F extends (...args: never[]) => unknown>(f: F) => ((...args: Parameters<F>) => { count++; return f(...args); }) as unknown as F;
  Object.assign(fs, { existsSync: counted(saved.existsSync), statSync: counted(saved.statSync), readFileSync: counted(saved.readFileSync) });
  syncBuiltinESMExports();
  try {
    fn();
  } finally {
    Object.assign(fs, saved);
    syncBuiltinESMExports();
  }
  return count;
}

const Once = suite('schema folder: found once');

Once('checking many messages reads nothing more from disk once the schema is loaded', () => {
  const check = getValidator('2025-11-25', 'JSONRPCRequest');
  assert.equal(check({ jsonrpc: '2.0', id: 1, method: 'ping' }), []);
  const lookups = countLookups(() => {
    for (let i = 0; i < 100; i++) getValidator('2025-11-25', 'JSONRPCRequest')({ jsonrpc: '2.0', id: i, method: 'ping' });
  });
  assert.is(lookups, 0);
});

Once('a changed MCP_SCHEMA_DIR is honoured (the folder found is kept per value)', () => {
  const real = resolveSchemaDir();
  const saved = process.env[SCHEMA_DIR_ENV];
  process.env[SCHEMA_DIR_ENV] = `${real}-missing-for-this-test`;
  try {
    assert.throws(() => resolveSchemaDir(), /is not a folder/);
  } finally {
    if (saved === undefined) delete process.env[SCHEMA_DIR_ENV];
    else process.env[SCHEMA_DIR_ENV] = saved;
  }
  assert.is(resolveSchemaDir(), real);
});

Once.run();
