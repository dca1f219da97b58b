// With --token, the check offers the token in the URI query instead of the Authorization header
// (auth.query-token): mcpwire's protected server refuses it, a server that also reads
// ?access_token= (a common fallback) is found by that rule alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listen } from 'mcpwire/transport';
import { createMcpHttpHandler, createProtectedResource, createServer, TokenRejectedError, TokenRejection, type McpHttpHandler } from 'mcpwire/server';
import { runCheck } from './runner.ts';
import { QUERY_TOKEN_PARAMETER } from './auth.ts';
import type { Finding } from './findings.ts';

const tokens = suite('check: a bearer token offered in the query string');
const TOKEN = 'check-token-1';

/** The findings of a check with `--token` against a protected server; `readsQuery` seeds the fault. */
async function check(readsQuery: boolean): Promise<readonly Finding[]> {
  let handler: McpHttpHandler | undefined;
  const http = await listen((request) => {
    const url = new URL(request.url);
    const fromQuery = url.searchParams.get(QUERY_TOKEN_PARAMETER);
    if (!readsQuery || fromQuery === null || request.headers.has('authorization')) return handler!.handle(request);
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${fromQuery}`);
    return handler!.handle(new Request(request, { headers }));
  }, { port: 0 });
  const url = `http://127.0.0.1:${http.port}/mcp`;
  // An opaque token (as from introspection): the JWT verifier is never reached.
  const opaque = {
    async verify(token: string) {
      if (token !== TOKEN) throw new TokenRejectedError(TokenRejection.Inactive, 'not the test token');
      return { auth: { subject: 'checker', scopes: [] } };
    },
  };
  const guard = createProtectedResource({ resource: url, authorizationServers: ['https://as.example'], verifier: opaque, opaqueVerifier: opaque });
  const server = createServer({ name: 'protected', version: '1.0.0' });
  server.tool({ name: 'hello', description: 'Says hello.', annotations: { readOnlyHint: true } }, () => 'hello');
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${http.port}`], protectedResource: guard });
  try {
    return (await runCheck({ target: { kind: 'http', url, headers: {} }, token: TOKEN, timeoutMs: 5_000 })).findings;
  } finally {
    await handler.close();
    await http.close();
  }
}

const failed = (all: readonly Finding[]) => [...new Set(all.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`))];

tokens('mcpwire\'s protected server refuses a token in the query: auth.query-token passes, nothing fails', async () => {
  const all = await check(false);
  assert.equal(failed(all), []);
  assert.ok(all.some((f) => f.id === 'auth.query-token' && f.outcome === 'pass' && f.detail.includes('401')), 'refused with 401');
});

tokens('a server that also reads ?access_token= is found as auth.query-token, and nothing else', async () => {
  const fails = failed(await check(true));
  assert.equal(fails.map((f) => f.split(':')[0]), ['auth.query-token'], fails.join('\n'));
});

tokens.run();
