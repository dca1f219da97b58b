/**
 * What the host's sign-in tests share (test/host-sign-in*.test.ts): an OAuth authorization
 * server and two protected MCP servers in process, a state directory, and a "browser" that
 * follows the printed sign-in URL back to the host's loopback listener.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createHttpClientTransport, type HttpClientAuth } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { registerFixtures } from '../../conformance/fixtures/index.ts';
import { createHostSignIn } from '../../host/sign-in.ts';
import { startOAuthAs, type OAuthAs, type OAuthAsOptions } from './oauth-as.ts';
import { protectedResource, type ProtectedResource } from './oauth-resource.ts';

export const ORIGIN = 'http://127.0.0.1:3000';

/** The "browser": open the printed URL, follow its redirect to the host's listener. */
export async function browse(line: string): Promise<void> {
  const url = /sign in: open (\S+)/.exec(line)?.[1];
  if (!url) return;
  const first = await fetch(url, { redirect: 'manual' });
  await first.body?.cancel();
  const back = await fetch(first.headers.get('location')!);
  await back.text();
}

/** Connect to `resource` at `origin` with `auth` and list its tools. */
export async function listWith(auth: HttpClientAuth, resource: ProtectedResource, origin = ORIGIN): Promise<void> {
  const transport = createHttpClientTransport({ url: `${origin}/mcp`, fetch: resource.fetch, auth, openStandaloneStream: false });
  const client = createClient({ name: 't', version: '1' });
  try {
    await client.connect(transport);
    await client.listTools();
  } finally {
    await client.close();
  }
}

/** A protected MCP server at `origin` whose tokens come from `as`. */
function resourceAt(as: OAuthAs, origin: string): ProtectedResource {
  const server = createServer({ name: 'protected', version: '1' });
  registerFixtures(server);
  const handler = createMcpHttpHandler(server, { allowedHosts: [new URL(origin).host], keepAliveMs: 0 });
  return protectedResource({ handler, as, origin });
}

export const ORIGIN2 = 'http://127.0.0.1:3001';

export type SignInFixture = { as: OAuthAs; resource: ProtectedResource; second: ProtectedResource; dir: string; done(): Promise<void> };

/** The authorization server, the two protected servers, a state directory; `done` undoes them. */
export async function fixture(asOptions: OAuthAsOptions = {}): Promise<SignInFixture> {
  const as = await startOAuthAs(asOptions);
  const resource = resourceAt(as, ORIGIN);
  const second = resourceAt(as, ORIGIN2);
  const dir = mkdtempSync(join(tmpdir(), 'mcpwire-signin-'));
  // The OAuth client (global fetch) reaches the resources' metadata in-process too.
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((url: string | URL | Request, init?: RequestInit) => {
    const href = String(url instanceof Request ? url.url : url);
    const at = href.startsWith(ORIGIN) ? resource : href.startsWith(ORIGIN2) ? second : undefined;
    return at ? at.fetch(href, { method: 'GET', headers: {} }) : realFetch(url, init);
  }) as typeof fetch;
  return {
    as, resource, second, dir,
    async done() {
      globalThis.fetch = realFetch;
      await as.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A first run: the user signs in at once; its tokens are kept under the state directory. */
export async function signInOnce(f: { dir: string; resource: ProtectedResource }): Promise<void> {
  const first = await createHostSignIn('demo', { stateDir: f.dir, say: (t) => void browse(t) });
  await listWith(first.auth, f.resource);
  first.close();
}

/** Set `fields` in every kept token set (as time, a revocation or a spoiled file would). */
export function editTokens(dir: string, fields: Record<string, unknown>): void {
  for (const name of readdirSync(join(dir, 'auth')).filter((n) => n.endsWith('.json'))) {
    const file = join(dir, 'auth', name);
    const record = JSON.parse(readFileSync(file, 'utf8')) as { tokens: Record<string, Record<string, unknown>> };
    for (const tokens of Object.values(record.tokens)) Object.assign(tokens, fields);
    writeFileSync(file, JSON.stringify(record));
  }
}

/** The sign-in URL in a printed line, and the `state` and redirect URI it carries. */
export function signInUrl(line: string): { url: string; state: string; redirectUri: string } | undefined {
  const url = /sign in: open (\S+)/.exec(line)?.[1];
  if (!url) return undefined;
  const params = new URL(url).searchParams;
  return { url, state: params.get('state')!, redirectUri: params.get('redirect_uri')! };
}
