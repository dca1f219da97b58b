// Lazy compilation: a version's schema is registered whole but each definition is compiled on
// its first use, so the first check of a version costs one definition, not the whole file.
// Shown without a clock: a copy of a real schema gains one definition that cannot compile; the
// other definitions check fine, and only asking for the broken one fails.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpError } from 'mcpwire/protocol';
import { getValidator, resolveSchemaDir, SCHEMA_DIR_ENV } from './schema.ts';

const Lazy = suite('each definition is compiled on first use');

Lazy('a definition that cannot compile does not stop the others; asking for it does', () => {
  const source = join(resolveSchemaDir(), '2025-11-25', 'schema.json');
  const document = JSON.parse(readFileSync(source, 'utf8')) as Record<string, Record<string, unknown>>;
  const defsKey = '$defs' in document ? '$defs' : 'definitions';
  document[defsKey]!.ZzBroken = { $ref: `#/${defsKey}/NoSuchDefinition` };
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-schema-lazy-'));
  const saved = process.env[SCHEMA_DIR_ENV];
  try {
    mkdirSync(join(dir, '2025-11-25'));
    writeFileSync(join(dir, '2025-11-25', 'schema.json'), JSON.stringify(document));
    process.env[SCHEMA_DIR_ENV] = dir;
    assert.equal(getValidator('2025-11-25', 'JSONRPCRequest')({ jsonrpc: '2.0', id: 1, method: 'ping' }), []);
    assert.equal(getValidator('2025-11-25', 'CallToolResult')({ content: [] }), []);
    assert.throws(
      () => getValidator('2025-11-25', 'ZzBroken'),
      (e: unknown) => e instanceof McpError && /cannot (compile|resolve)/.test(e.message),
    );
  } finally {
    if (saved === undefined) delete process.env[SCHEMA_DIR_ENV];
    else process.env[SCHEMA_DIR_ENV] = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

Lazy.run();
