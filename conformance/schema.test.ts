// Finding, loading and compiling the spec schemas.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { McpError } from 'mcpwire/protocol';
import {
  getValidator, hasDefinition, isSchemaVersion, loadSchema, resolveSchemaDir, SCHEMA_DIR_ENV, SCHEMA_VERSIONS,
} from './schema.ts';

/** Run `fn` with MCP_SCHEMA_DIR set to `value` (or unset), restoring it afterwards. */
function withEnv<T>(value: string | undefined, fn: () => T): T {
  const saved = process.env[SCHEMA_DIR_ENV];
  if (value === undefined) delete process.env[SCHEMA_DIR_ENV];
  else process.env[SCHEMA_DIR_ENV] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[SCHEMA_DIR_ENV];
    else process.env[SCHEMA_DIR_ENV] = saved;
  }
}

const Find = suite('resolveSchemaDir');

Find('finds a folder holding <version>/schema.json for every version', () => {
  const dir = resolveSchemaDir();
  for (const v of SCHEMA_VERSIONS) assert.ok(existsSync(join(dir, v, 'schema.json')), `${v}/schema.json`);
});

Find('without MCP_SCHEMA_DIR it falls back beside the package root', () => {
  const dir = withEnv(undefined, resolveSchemaDir);
  assert.ok(existsSync(join(dir, '2025-11-25', 'schema.json')));
});

Find('MCP_SCHEMA_DIR wins when set', () => {
  const real = withEnv(undefined, resolveSchemaDir);
  assert.is(withEnv(real, resolveSchemaDir), real);
});

Find('a missing MCP_SCHEMA_DIR folder is a clear McpError', () => {
  const missing = join(resolveSchemaDir(), 'no-such-folder-for-this-test');
  try {
    withEnv(missing, resolveSchemaDir);
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, McpError);
    assert.is((error as McpError).code, 'MCP_ERR_VALIDATION');
    assert.match((error as Error).message, SCHEMA_DIR_ENV);
  }
});

Find.run();

const Load = suite('loadSchema and getValidator');

Load('each version loads once, with its dialect', () => {
  for (const v of SCHEMA_VERSIONS) {
    const loaded = loadSchema(v);
    assert.is(loadSchema(v), loaded, `${v} is cached`);
    const draft07 = v === '2024-11-05' || v === '2025-03-26' || v === '2025-06-18';
    assert.is(loaded.dialect, draft07 ? 'draft-07' : '2020-12', v);
    assert.is(loaded.defsKey, draft07 ? 'definitions' : '$defs', v);
    assert.ok(hasDefinition(v, 'JSONRPCRequest'), `${v} has JSONRPCRequest`);
  }
});

Load('unknown versions and definitions are McpErrors', () => {
  assert.not.ok(isSchemaVersion('2099-01-01'));
  assert.throws(() => loadSchema('2099-01-01' as never), (e: unknown) => e instanceof McpError && /2099-01-01/.test(e.message));
  assert.throws(() => getValidator('2025-11-25', 'NoSuchThing'), (e: unknown) => e instanceof McpError && /NoSuchThing/.test(e.message));
});

Load('validators are compiled once per (version, definition)', () => {
  const a = getValidator('2025-06-18', 'CallToolResult');
  assert.is(getValidator('2025-06-18', 'CallToolResult'), a);
  assert.is.not(getValidator('2025-11-25', 'CallToolResult'), a);
});

Load('draft-07 and 2020-12 files both validate, with their own rules', () => {
  for (const v of ['2025-06-18', '2025-11-25'] as const) {
    const check = getValidator(v, 'CallToolResult');
    assert.equal(check({ content: [{ type: 'text', text: 'hi' }] }), [], v);
    const issues = check({ content: 'x' });
    assert.is(issues[0]?.path, '/content', v);
    assert.is(issues[0]?.keyword, 'type', v);
  }
  // Task.ttl became integer|null in the fixed 2025-11-25 file (shared/spec/SOURCE.md).
  assert.ok(hasDefinition('2025-11-25', 'Task'));
  assert.not.ok(hasDefinition('2025-06-18', 'Task'));
});

Load('formats are enforced (uri, byte), not ignored', () => {
  const resource = getValidator('2025-11-25', 'Resource');
  assert.equal(resource({ uri: 'file:///a.txt', name: 'a' }), []);
  assert.ok(resource({ uri: 'not a uri', name: 'a' }).some((i) => i.keyword === 'format'));
  const blob = getValidator('2025-11-25', 'BlobResourceContents');
  assert.equal(blob({ uri: 'file:///a.bin', blob: 'aGVsbG8=' }), []);
  assert.ok(blob({ uri: 'file:///a.bin', blob: '*** not base64 ***' }).some((i) => i.keyword === 'format'));
});

Load('validation does not change the value', () => {
  const value = { content: [{ type: 'text', text: 'hi', extra: { deep: [1, 2] } }], isError: false };
  const before = JSON.stringify(value);
  getValidator('2025-11-25', 'CallToolResult')(value);
  assert.is(JSON.stringify(value), before);
});

Load.run();
