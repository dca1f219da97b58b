/**
 * A protected MCP endpoint for the auth tests: a server whose tool, resource and prompt
 * report `ctx.auth`, served by createMcpHttpHandler behind createProtectedResource with the
 * loopback issuer of jwt-issuer.ts. Requests go to the handler in process.
 */
import { createServer } from '../../server/server.ts';
import { createMcpHttpHandler, type McpHttpHandler } from '../../server/http.ts';
import { createJwtVerifier } from '../../server/auth/jwt-verifier.ts';
import { createProtectedResource, type ProtectedResource, type ProtectedResourceOptions } from '../../server/auth/protected-resource.ts';
import type { TokenRejectedError } from '../../server/auth/errors.ts';
import { envelope } from '../modern-kit.ts';
import { parseChallenges as parseClientChallenges } from '../../client/auth/challenge.ts';
import { startJwtIssuer, type TestIssuer } from './jwt-issuer.ts';

export const RESOURCE = 'http://127.0.0.1/mcp';
const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

export interface ProtectedKit {
  issuer: TestIssuer;
  guard: ProtectedResource;
  handler: McpHttpHandler;
  rejected: TokenRejectedError[];
  errors: Error[];
  post(message: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startProtected(options: Partial<ProtectedResourceOptions> = {}, jwks: { cooldownMs?: number } = {}): Promise<ProtectedKit> {
  const issuer = await startJwtIssuer(RESOURCE);
  const rejected: TokenRejectedError[] = [];
  const errors: Error[] = [];
  const guard = createProtectedResource({
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    verifier: createJwtVerifier({ issuer: issuer.issuer, audience: RESOURCE, jwksCooldownMs: jwks.cooldownMs ?? 0 }),
    onRejected: (e) => rejected.push(e),
    onError: (e) => errors.push(e),
    ...options,
  });
  const server = createServer({ name: 'protected', version: '1.0.0' });
  server.tool({ name: 'whoami', description: 'Reports ctx.auth.' }, (_args, ctx) => JSON.stringify(ctx.auth));
  server.tool({ name: 'admin', description: 'A tool a server may scope.' }, () => 'admin done');
  server.resource({ uri: 'test://me', name: 'me', mimeType: 'application/json' }, (_uri, ctx) => JSON.stringify(ctx.auth));
  server.prompt({ name: 'me', description: 'Reports ctx.auth.' }, (_args, ctx) => JSON.stringify(ctx.auth));
  const handler = createMcpHttpHandler(server, { disableHostChecks: true, protectedResource: guard });
  return {
    issuer, guard, handler, rejected, errors,
    post: (message, headers = {}) => handler.handle(new Request(RESOURCE, { method: 'POST', headers: { ...POST_HEADERS, ...headers }, body: JSON.stringify(message) })),
    get: (path) => handler.handle(new Request(new URL(path, RESOURCE), { method: 'GET' })),
    async close() {
      await handler.close();
      await issuer.close();
    },
  };
}

export const initialize = (id: number | string = 1) => ({
  jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});

/** Headers and body of a 2026-07-28 `tools/call`. */
export function modernCall(name: string, id = 'm1'): { message: unknown; headers: Record<string, string> } {
  return {
    message: { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {}, _meta: envelope({}) } },
    headers: { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name },
  };
}

/** The parameters of the first challenge of a `WWW-Authenticate` value, and its scheme. */
export function parseChallenge(header: string | null): { scheme: string; params: Record<string, string> } {
  return parseChallenges(header)[0]!;
}

/** Every challenge of a `WWW-Authenticate` value (RFC 9110 §11.6.1: a list), schemes as the server spells them. */
export function parseChallenges(header: string | null): Array<{ scheme: string; params: Record<string, string> }> {
  if (header === null) throw new Error('no WWW-Authenticate header');
  const spelled: Record<string, string> = { bearer: 'Bearer', dpop: 'DPoP' };
  const all = parseClientChallenges(header).map((c) => ({ scheme: spelled[c.scheme] ?? c.scheme, params: c.params }));
  if (all.length === 0) throw new Error(`no challenge in WWW-Authenticate: ${header}`);
  return all;
}

/** The text of the first content block of a JSON-RPC response body. */
export async function firstText(res: Response): Promise<string> {
  const raw = await res.text();
  // A 2025 session answers on an SSE stream: the response is its data line with a result.
  const json = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? raw.split('\n').filter((l) => l.startsWith('data: ') && l.includes('"result"')).map((l) => l.slice(6))[0] ?? raw : raw;
  const body = JSON.parse(json) as { result?: { content?: Array<{ text?: string }>; contents?: Array<{ text?: string }>; messages?: Array<{ content?: { text?: string } }> }; error?: unknown };
  const r = body.result;
  const text = r?.content?.[0]?.text ?? r?.contents?.[0]?.text ?? r?.messages?.[0]?.content?.text;
  if (text === undefined) throw new Error(`no text in ${JSON.stringify(body)}`);
  return text;
}
