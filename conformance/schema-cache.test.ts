// The pinned spec schemas downloaded into the cache: from a loopback server standing in for
// the spec repository (never the internet), each file checked against its pinned SHA-256,
// fetched once, and a clear "offline?" error when the server cannot be reached.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSchemaDir } from './schema.ts';
import { cachedSchemaDir, downloadSchemas, PINNED_SCHEMA_DIGESTS } from './schema-cache.ts';

const cache = suite('schema cache');
const source = resolveSchemaDir();

/** Serves `<version>/schema.json` from the local spec copy; `tamper` changes one file. */
async function specServer(tamper?: string): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const m = /^\/schema\/([^/]+)\/schema\.json$/.exec(req.url ?? '');
    const file = m ? join(source, m[1]!, 'schema.json') : undefined;
    if (!file || !existsSync(file)) return void res.writeHead(404).end();
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': 'application/json' }).end(m![1] === tamper ? Buffer.concat([body, Buffer.from(' ')]) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/schema`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function withCacheDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-schema-cache-'));
  try { return await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

cache('downloads every pinned file once, byte for byte, and finds it in the cache after', () => withCacheDir(async (dir) => {
  const spec = await specServer();
  try {
    assert.is(cachedSchemaDir(dir), undefined);
    const got = await downloadSchemas({ cacheDir: dir, baseUrl: spec.url });
    assert.is(cachedSchemaDir(dir), got);
    for (const version of Object.keys(PINNED_SCHEMA_DIGESTS)) {
      assert.ok(readFileSync(join(got, version, 'schema.json')).equals(readFileSync(join(source, version, 'schema.json'))), version);
    }
    assert.is(spec.hits.length, Object.keys(PINNED_SCHEMA_DIGESTS).length);
    await downloadSchemas({ cacheDir: dir, baseUrl: spec.url });
    assert.is(spec.hits.length, Object.keys(PINNED_SCHEMA_DIGESTS).length, 'nothing fetched again');
  } finally {
    await spec.close();
  }
}));

cache('a file whose digest differs is refused and not cached', () => withCacheDir(async (dir) => {
  const spec = await specServer('2025-11-25');
  try {
    const error = await downloadSchemas({ cacheDir: dir, baseUrl: spec.url }).then(() => undefined, (e: unknown) => e as { code?: string; message: string });
    assert.is(error?.code, 'MCP_ERR_VALIDATION');
    assert.match(error!.message, /2025-11-25\/schema\.json has SHA-256 [0-9a-f]{64}, not the pinned 268a5f82/);
    assert.is(cachedSchemaDir(dir), undefined);
    assert.not.ok(existsSync(join(dir, 'spec-b0f60ba5409d', '2025-11-25', 'schema.json')));
  } finally {
    await spec.close();
  }
}));

cache('offline: a clear message naming MCP_SCHEMA_DIR', () => withCacheDir(async (dir) => {
  const spec = await specServer();
  await spec.close(); // nothing listens there now
  const error = await downloadSchemas({ cacheDir: dir, baseUrl: spec.url, timeoutMs: 2_000 }).then(() => undefined, (e: unknown) => e as { code?: string; message: string });
  assert.is(error?.code, 'MCP_ERR_HTTP');
  assert.match(error!.message, /cannot download the MCP spec schemas .*Offline\? Set MCP_SCHEMA_DIR/);
}));

cache('a 404 from the server is reported with its status', () => withCacheDir(async (dir) => {
  const spec = await specServer();
  try {
    const error = await downloadSchemas({ cacheDir: dir, baseUrl: `${spec.url}/nowhere` }).then(() => undefined, (e: unknown) => e as { message: string });
    assert.match(error!.message, /HTTP 404/);
  } finally {
    await spec.close();
  }
}));

// Node 20's mkdir({ recursive: true }) retried for ever here: /proc/self exists and can hold
// no folder. The download came first, then the hang; now the folder is refused before any.
const proc = existsSync('/proc/self/status');
cache(`a cache folder that cannot be made is refused at once, naming it, before any download${proc ? '' : ' (skipped: no /proc)'}`, async () => {
  if (!proc) return;
  const spec = await specServer();
  let timer: NodeJS.Timeout | undefined;
  try {
    const bound = new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), 10_000); });
    const error = await Promise.race([
      downloadSchemas({ cacheDir: '/proc/self/mcpwire', baseUrl: spec.url }).then(() => undefined, (e: unknown) => e as { code?: string; message: string }),
      bound,
    ]);
    assert.is.not(error, 'hung', 'not settled within 10 s');
    assert.is((error as { code?: string } | undefined)?.code, 'MCP_ERR_STORE');
    assert.match((error as { message: string }).message, /cannot make the spec schema cache folder \/proc\/self\/mcpwire\/spec-b0f60ba5409d: .*Set MCPWIRE_CACHE_DIR/);
    assert.equal(spec.hits, [], 'nothing downloaded');
  } finally {
    clearTimeout(timer);
    await spec.close();
  }
});

cache.run();
