/** mcpwire/client: an MCP client over any Transport. */
export { createClient } from './client.ts';
export type { McpClient, ClientOptions, CallToolOptions, InboundContext, RejoinState } from './client.ts';
export { createMemoryTokenStore, createFileTokenStore, isTokenRecord, tokenFileName } from './tokens.ts';
export type { TokenStore, TokenRecord, InflightRequest, TokenStoreOptions, FileTokenStoreOptions } from './tokens.ts';
export { tokenStoreContract } from './tokens.contract.ts';
