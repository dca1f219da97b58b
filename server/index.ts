/** mcpwire/server: MCP features served over any Transport. */
export { createServer } from './server.ts';
export type { McpServer, ServerOptions, ServerFeature, ConnectOptions } from './server.ts';
export type { ServerConnection, ConnectionSnapshot, ConnectionState } from './connection.ts';
export type { ToolContext, AskOptions, AskTimeouts, ElicitFormRequest, ElicitUrlRequest } from './context.ts';
export { DEFAULT_ASK_TIMEOUTS } from './context.ts';
export type { ToolDefinition, ToolHandler, ToolReturn } from './tools.ts';
export { DEFAULT_PAGE_SIZE, encodeCursor, decodeCursor, paginate } from './pagination.ts';
export { createSchemaValidator } from './validation.ts';
export type { SchemaValidator } from './validation.ts';
export { createMcpHttpHandler } from './http.ts';
export type { McpHttpOptions } from './http.ts';
