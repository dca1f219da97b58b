// test-runner: tsx (a fixture's string holds import.meta.url, which the test bundler replaces)
// Output-schema checks in a bundle split by esbuild (issue #20 item 3): ajv is not in what the
// client loads at start but in a chunk reached by import(), and that lazy path validates and
// reports a bad structuredContent exactly as the unbundled client does (draft-07 and 2020-12).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type McpServer } from 'mcpwire/server';
import * as source from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';
import { bundleClient, type ClientBundle } from './fixtures/bundle-client.ts';

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
async function badResult(lib: ClientBundle | typeof source, pair: typeof createMemoryPair, dialect?: string): Promise<InstanceType<typeof source.ToolResultError>> {
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
    const { module, atStart, later } = await bundleClient(dir);
    assert.not.ok(atStart.has('ajv'), 'ajv is not in what loads at start');
    assert.ok(later.has('ajv'), 'ajv is bundled, behind import()');
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
