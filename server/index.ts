/** mcpwire/server: MCP features served over any Transport, and over Streamable HTTP. */
export { createServer } from './server.ts';
export type { McpServer, ServerOptions, ConnectOptions } from './server.ts';
export type { LogRateOptions } from './log-rate.ts';
export type { PingOptions } from '../protocol/ping.ts';
export type { ServerFeature, MethodTable, MethodHandler, ServerMethod } from './method-table.ts';
export type { ServerRequest, RequestAuth, RequestNotification } from './request.ts';
export { InputRequiredError } from './input.ts';
export { MissingCapabilityError } from './capability-error.ts';
export type { InputRequest, InputResult, InputOptions } from './input.ts';
export { createMemoryEventBus } from './event-bus.ts';
export type { ServerEvent, ServerEventBus, ServerEventListener, MemoryEventBusOptions } from './event-bus.ts';
export type { ServerConnection, ConnectionSnapshot, ConnectionState } from './connection-types.ts';
export type { ToolContext, AskOptions, AskTimeouts, ElicitFormRequest, ElicitUrlRequest } from './context.ts';
export type { ToolDefinition, ToolHandler, ToolReturn, ToolRestart } from './tools.ts';
export type { ResourceDefinition, ResourceReader } from './resources.ts';
export type { ResourceTemplateDefinition, TemplateReader } from './resource-templates.ts';
export type { ResourceReadReturn } from './contents.ts';
export type { PromptDefinition, PromptHandler, PromptReturn } from './prompts.ts';
export type { Completer, CompletionContext, CompletionReturn } from './completer.ts';
export type { UriTemplateOptions, UriTemplateVariables } from './uri-template.ts';
export { createSchemaValidator } from './validation.ts';
export type { SchemaValidator } from './validation.ts';
export { createMcpHttpHandler } from './http.ts';
export type { McpHttpOptions, McpHttpHandler } from './http.ts';
export {
  createProtectedResource, createJwtVerifier, createIntrospectionVerifier, createMemoryReplayCache, replayCacheContract,
  TokenRejectedError, TokenRejection, AuthUnavailableError,
} from './auth/index.ts';
export type {
  ProtectedResource, ProtectedResourceOptions, DpopOptions, JwtVerifierOptions, IntrospectionVerifierOptions,
  ReplayCache, MemoryReplayCacheOptions, TokenVerifier, VerifiedToken, ResourceMetadata, ScopedCall, ScopesFor, ReplayCacheContractCase,
} from './auth/index.ts';
export { createModernDispatcher } from './modern-lazy.ts';
export type { ModernDispatcher, ModernDispatcherOptions, ModernCall, ModernAnswer, CacheHints } from './modern/dispatcher.ts';
export type { InputRoundOptions } from './modern/mrtr.ts';
export type { RequestStateOptions } from './modern/request-state.ts';
export { serveEras } from './modern-lazy.ts';
export type { ServeErasOptions, ServedEra } from './modern/serve-eras.ts';
export type { TaskRuntime } from './tasks-lazy.ts';
export type { TaskOptions } from './tasks/options.ts';
export { serveSkills, type SkillDefinition, type SkillEntry, type SkillsOptions } from './skills/skills.ts';
export type { ExtensionParts } from './extension.ts';
export type { ListenOptions, ListenTopic, Listener, SubscriptionFilter } from './modern/listen.ts';
