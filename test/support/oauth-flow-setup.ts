/**
 * The setting of the OAuth client's end-to-end tests: the test authorization server, a
 * protected MCP resource in process (reached through its fetch) at http://127.0.0.1:3000/mcp,
 * and `connect`, which signs in as a user who approves at once (follows the redirect).
 */
import {
  createClient, createHttpClientTransport, createOAuthClient, type AuthStore, type McpClient, type OAuthClientOptions,
} from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { registerFixtures } from '../../conformance/fixtures/index.ts';
import { followRedirect, startOAuthAs, type OAuthAs, type OAuthAsOptions } from './oauth-as.ts';
import { protectedResource, type ProtectedResourceOptions } from './oauth-resource.ts';

export const ORIGIN = 'http://127.0.0.1:3000';
export const REDIRECT = 'http://127.0.0.1:1/callback';

export interface Connected { client: McpClient; tools: string[]; close(): Promise<void> }
export interface Setup { as: OAuthAs; log: string[]; connect(extra?: OAuthClientOptions): Promise<Connected>; authorizations: number }

export async function setup(asOptions: OAuthAsOptions, resourceOptions: Partial<ProtectedResourceOptions> = {}, store?: AuthStore): Promise<Setup> {
  const as = await startOAuthAs(asOptions);
  const server = createServer({ name: 'protected', version: '1' });
  registerFixtures(server);
  const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 });
  const resource = protectedResource({ handler, as, origin: ORIGIN, ...resourceOptions });
  const state: Setup = {
    as, log: resource.log, authorizations: 0,
    async connect(extra = {}) {
      const auth = createOAuthClient({
        authorize: async (request) => {
          state.authorizations++;
          return followRedirect(request);
        },
        redirectUri: REDIRECT,
        fetch: (url, init) => (url.startsWith(ORIGIN) ? resource.fetch(url, { method: 'GET', headers: {} }) : fetch(url, init)),
        ...(store ? { store } : {}),
        ...extra,
      });
      const transport = createHttpClientTransport({ url: `${ORIGIN}/mcp`, fetch: resource.fetch, auth, openStandaloneStream: false });
      const client = createClient({ name: 't', version: '1' });
      await client.connect(transport);
      try {
        const tools = (await client.listTools()).map((t) => t.name);
        return { client, tools, close: () => client.close() };
      } catch (error) {
        await client.close();
        throw error;
      }
    },
  };
  return state;
}
