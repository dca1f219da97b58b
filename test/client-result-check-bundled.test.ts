// Output-schema checks in a bundle split by esbuild (issue #20 item 3): ajv is not in what the
// client loads at start but in a chunk reached by import(), and that lazy path validates and
// reports a bad structuredContent exactly as the unbundled client does (draft-07 and 2020-12).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer, type McpServer } from 'mcpwire/server';
import * as source from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
type Bundle = typeof source & { createMemoryPair: typeof createMemoryPair };

/** Bundle test/fixtures/bundled-client-entry.ts split into chunks; the module, and the ajv inputs in what loads at start and in the rest. */
async function bundle(dir: string): Promise<{ module: Bundle; ajvAtStart: string[]; ajvLater: string[] }> {
  const result = await build({
    entryPoints: [join(ROOT, 'test', 'fixtures', 'bundled-client-entry.ts')],
    absWorkingDir: ROOT, outdir: dir, outExtension: { '.js': '.mjs' },
    bundle: true, splitting: true, platform: 'node', format: 'esm', conditions: ['source'], metafile: true, logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined);
  if (entry === undefined) throw new Error('no entry chunk');
  // What loads at start: the entry chunk and the chunks it imports statically.
  const atStart = new Set([entry]);
  for (const path of atStart) {
    for (const i of outputs[path]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) atStart.add(i.path);
  }
  const ajvIn = (paths: string[]) => paths.flatMap((path) => Object.keys(outputs[path]?.inputs ?? {})).filter((input) => input.includes('node_modules/ajv/'));
  const module = await import(pathToFileURL(join(ROOT, entry)).href) as Bundle;
  return { module, ajvAtStart: ajvIn([...atStart]), ajvLater: ajvIn(Object.keys(outputs).filter((path) => !atStart.has(path))) };
}

/** A server whose `total` lists `total: number` and, once swapped, answers `total: 'three'`. */
function swappingServer(schemaDialect?: string) {
  const server = createServer({ name: 's', version: '1' });
  const $schema = schemaDialect ? { $schema: schemaDialect } : {};
  const remove = server.tool({ name: 'total', outputSchema: { ...$schema, type: 'object', properties: { total: { type: 'number' } }, required: ['total'] } },
    () => ({ structuredContent: { total: 3 } }));
  const swap = () => {
    remove();
    server.tool({ name: 'total', outputSchema: { type: 'object', properties: { total: { type: 'string' } } } }, () => ({ structuredContent: { total: 'three' } }));
  };
  return { server, swap };
}

/** Call `total` through a client made by `lib`: a valid result, then the bad one; the error it rejected with. */
async function badResult(lib: Bundle | typeof source, pair: typeof createMemoryPair, dialect?: string): Promise<InstanceType<typeof source.ToolResultError>> {
  const { server, swap }: { server: McpServer; swap: () => void } = swappingServer(dialect);
  const [clientSide, serverSide] = pair();
  await server.connect(serverSide);
  const client = lib.createClient({ name: 'bundled', version: '1' });
  await client.connect(clientSide);
  try {
    await client.listTools();
    assert.equal((await client.callTool('total', {})).structuredContent, { total: 3 });
    swap();
    try {
      await client.callTool('total', {});
    } catch (error) {
      assert.instance(error, lib.ToolResultError);
      return error as InstanceType<typeof source.ToolResultError>;
    }
    throw new Error('the bad structuredContent was accepted');
  } finally { await client.close(); }
}

const bundled = suite('client: output schemas checked through a lazily loaded ajv chunk');

bundled('ajv loads only behind import(); the bundled client reports a bad result as the unbundled one does', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-bundled-'));
  try {
    const { module, ajvAtStart, ajvLater } = await bundle(dir);
    assert.equal(ajvAtStart, [], 'ajv is not in what loads at start');
    assert.ok(ajvLater.length > 0, 'ajv is bundled, behind import()');
    for (const dialect of [undefined, 'http://json-schema.org/draft-07/schema#']) {
      const lazy = await badResult(module, module.createMemoryPair, dialect);
      const direct = await badResult(source, createMemoryPair, dialect);
      assert.is(lazy.code, 'MCP_ERR_VALIDATION');
      assert.equal(lazy.problems, ['/total: must be number']);
      assert.equal([lazy.message, lazy.tool, lazy.problems, lazy.result], [direct.message, direct.tool, direct.problems, direct.result]);
    }
  } finally { await rm(dir, { recursive: true, force: true }); }
});

bundled.run();
