/**
 * The spec schemas for users who install mcpwire from npm: the pinned `schema.json` files are
 * downloaded once from the spec repository into a user cache folder, each checked against a
 * pinned SHA-256 before it is kept. Nothing is copied into the package.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LocalErrorCode, McpError } from 'mcpwire/protocol';
import { makeDirs } from 'mcpwire/transport';

/** The spec repository commit the pinned files come from (modelcontextprotocol/modelcontextprotocol). */
export const PINNED_SCHEMA_COMMIT = 'b0f60ba5409db7a6582440a7b473cc0398890f15';

/** SHA-256 of each pinned `schema/<version>/schema.json`. */
export const PINNED_SCHEMA_DIGESTS: Readonly<Record<string, string>> = {
  '2024-11-05': '61cea2392d4f284092d09bc84b9ac488c0d5618ac2b38a56942fc5b99fd960ce',
  '2025-03-26': 'e720669548c8100a4282c49e580efd6ddf7f28899ea786fc8db251dbdb356131',
  '2025-06-18': 'af845e7e5b9d27107d1690f0936022546177a1403e63ffb11470135b296a2e01',
  '2025-11-25': '268a5f82ba70fd7e4b6dc4aa1e64f116f74b4d0edcb69dc046829c79dd4e97e7',
  '2026-07-28': 'ef70b61f99b6d2e5e3b46863822eab08dff6a45bedc7a08914e0e5b133f40203',
  draft: 'ef70b61f99b6d2e5e3b46863822eab08dff6a45bedc7a08914e0e5b133f40203',
};

/** Where the pinned files are downloaded from: `<base>/<version>/schema.json`. */
export const DEFAULT_SCHEMA_BASE_URL = `https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/${PINNED_SCHEMA_COMMIT}/schema`;
/** The environment variable naming the cache folder (default: the user's cache folder + `/mcpwire`). */
export const CACHE_DIR_ENV = 'MCPWIRE_CACHE_DIR';
/** Default bound on each download, ms. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;
/** Largest schema file accepted, bytes (the biggest pinned one is about 180 kB). */
export const MAX_SCHEMA_BYTES = 4 * 1024 * 1024;

/** The cache folder: `MCPWIRE_CACHE_DIR`, else `$XDG_CACHE_HOME/mcpwire`, else `~/.cache/mcpwire`. */
export function defaultCacheDir(): string {
  const fromEnv = process.env[CACHE_DIR_ENV];
  if (fromEnv) return fromEnv;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? xdg : join(homedir(), '.cache'), 'mcpwire');
}

/** The folder holding the pinned files inside `cacheDir`. */
export function pinnedSchemaDir(cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `spec-${PINNED_SCHEMA_COMMIT.slice(0, 12)}`);
}

/** The cached folder when every pinned file is in it, else undefined. */
export function cachedSchemaDir(cacheDir = defaultCacheDir()): string | undefined {
  const dir = pinnedSchemaDir(cacheDir);
  return Object.keys(PINNED_SCHEMA_DIGESTS).every((v) => existsSync(join(dir, v, 'schema.json'))) ? dir : undefined;
}

/** Options of {@link downloadSchemas}. */
export interface DownloadOptions {
  cacheDir?: string;
  /** Default {@link DEFAULT_SCHEMA_BASE_URL}. */
  baseUrl?: string;
  /** Bound on each file, ms. Default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}. */
  timeoutMs?: number;
}

function offline(url: string, cause: unknown): McpError {
  return new McpError(LocalErrorCode.Http,
    `cannot download the MCP spec schemas (${url}): ${cause instanceof Error ? cause.message : String(cause)}. ` +
      'Offline? Set MCP_SCHEMA_DIR to a folder holding <version>/schema.json (the schema/ folder of the ' +
      `modelcontextprotocol/modelcontextprotocol repository at ${PINNED_SCHEMA_COMMIT.slice(0, 12)}).`, { cause });
}

/**
 * Make a cache folder. Not `mkdir({ recursive: true })`: on Node 20 it retries for ever when
 * an existing parent cannot hold a folder (`MCPWIRE_CACHE_DIR=/proc/self/x` hung `mcpwire
 * check` with no output); makeDirs fails with mkdir's own error, named here.
 */
async function makeCacheDir(dir: string): Promise<void> {
  await makeDirs(dir, 0o777).catch((cause: unknown) => {
    throw new McpError(LocalErrorCode.Store,
      `cannot make the spec schema cache folder ${dir}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        `Set ${CACHE_DIR_ENV} to a folder you can write, or MCP_SCHEMA_DIR to a folder holding <version>/schema.json.`, { cause });
  });
}

async function fetchOne(url: string, timeoutMs: number): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    throw offline(url, cause);
  }
  if (!response.ok) throw offline(url, new Error(`HTTP ${response.status}`));
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_SCHEMA_BYTES) throw offline(url, new Error(`${declared} bytes is over the ${MAX_SCHEMA_BYTES}-byte limit`));
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_SCHEMA_BYTES) throw offline(url, new Error(`${bytes.length} bytes is over the ${MAX_SCHEMA_BYTES}-byte limit`));
  return bytes;
}

/**
 * Download every pinned file into the cache (those already there are kept), verifying each
 * SHA-256 before it is written; resolves to the folder. Throws McpError `MCP_ERR_HTTP` when
 * a file cannot be fetched, `MCP_ERR_VALIDATION` when a digest does not match (nothing is kept),
 * `MCP_ERR_STORE` when the cache folder cannot be made (checked before any download).
 */
export async function downloadSchemas(options: DownloadOptions = {}): Promise<string> {
  const dir = pinnedSchemaDir(options.cacheDir);
  const base = (options.baseUrl ?? DEFAULT_SCHEMA_BASE_URL).replace(/\/+$/, '');
  await makeCacheDir(dir);
  for (const [version, digest] of Object.entries(PINNED_SCHEMA_DIGESTS)) {
    const file = join(dir, version, 'schema.json');
    if (existsSync(file)) continue;
    const url = `${base}/${version}/schema.json`;
    const bytes = await fetchOne(url, options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== digest) {
      throw new McpError(LocalErrorCode.Validation, `${url} has SHA-256 ${got}, not the pinned ${digest}: not cached. The file changed or the download was tampered with.`);
    }
    await makeCacheDir(join(dir, version));
    // Written aside then renamed, so a half-written file is never taken for a cached one.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, bytes);
    await rename(partial, file);
  }
  return dir;
}
