/** mcpwire/server: MCP features served over any Transport, and over Streamable HTTP. */
export { createServer } from './server.ts';
export type { McpServer, ServerOptions, ServerFeature, ConnectOptions } from './server.ts';
export type { ServerConnection, ConnectionSnapshot, ConnectionState } from './connection.ts';
export type { ToolContext, HandlerContext, AskOptions, AskTimeouts, ElicitFormRequest, ElicitUrlRequest } from './context.ts';
export type { ToolDefinition, ToolHandler, ToolReturn } from './tools.ts';
export type { ResourceDefinition, ResourceReader } from './resources.ts';
export type { ResourceTemplateDefinition, TemplateReader } from './resource-templates.ts';
export type { ResourceReadReturn } from './contents.ts';
export type { PromptDefinition, PromptHandler, PromptReturn } from './prompts.ts';
export type { Completer, CompletionContext, CompletionReturn } from './completion.ts';
export type { UriTemplateOptions, UriTemplateVariables } from './uri-template.ts';
export { createSchemaValidator } from './validation.ts';
export type { SchemaValidator } from './validation.ts';
export { createMcpHttpHandler } from './http.ts';
export type { McpHttpOptions } from './http.ts';
