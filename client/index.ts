/** mcpwire/client: an MCP client over any Transport. */
export { createClient } from './client.ts';
export type { McpClient, ClientOptions, CallToolOptions, InboundContext } from './client.ts';
