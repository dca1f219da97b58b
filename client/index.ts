/** mcpwire/client: an MCP client over any Transport, and the transports a client opens (HTTP, stdio child process). */
export { createClient } from './client.ts';
export { createEraCache } from './era.ts';
export type { PingOptions } from '../protocol/ping.ts';
export type { EraCache, EraRecord, EraChoice, Discovered } from './era.ts';
export type { ListenFilter, ListenHandlers, ListenOptions, Listening } from './modern-listen.ts';
export type {
  McpClient, ClientOptions, CallOptions, CallToolOptions, ElicitationOptions, InboundContext, ListKind, NotificationContext, RejoinState,
} from './types.ts';
export { elicitationContentProblems, requestedSchemaProblem } from './elicitation.ts';
export { ToolResultError } from './tool-results.ts';
export { InputRefusedError } from './inbound.ts';
export { CallbackError } from './callback-error.ts';
export type { CallbackName } from './callback-error.ts';
export type { StandardSchemaLike, StructuredOf, TypedCallToolResult } from './tool-results.ts';
export { urlElicitationsOf, isUrlElicitation } from './url-elicitation.ts';
export type { WaitForElicitationOptions } from './url-elicitation.ts';
export { samplingRequestProblem, samplingResultProblem } from './sampling.ts';
export { createMemoryResumeStore, createFileResumeStore } from './resume-store.ts';
export { TASKS_EXTENSION } from '../protocol/modern-meta.ts';
export type { TaskClient, TaskClientDeps, TaskCallOptions, TaskInputRequest, RememberedTask } from './tasks.ts';
export type { TaskSnapshot } from './tasks-wire.ts';
export type { ResumeStore, ResumeRecord, InflightRequest, ResumeStoreOptions, FileResumeStoreOptions } from './resume-store.ts';
export { resumeStoreContract } from './resume-store.contract.ts';
// The client transports live in transport/ but are exported here: they load child_process and
// (the HTTP one, when it starts) undici, which mcpwire/transport (what servers import) must not.
export { createHttpClientTransport } from '../transport/http/client.ts';
export type { HttpClientTransport, HttpClientTransportOptions, ResumeOptions as HttpResumeOptions } from '../transport/http/client.ts';
export type { FetchLike, FetchInit } from '../transport/http/client-fetch.ts';
export { createHttpTransportCache } from '../transport/http/client-transport-cache.ts';
export type { HttpTransportCache, HttpTransportKind } from '../transport/http/client-transport-cache.ts';
export type { ReconnectOptions } from '../transport/http/reconnect.ts';
export type { AnswerRetryOptions } from '../transport/http/client-answer-retry.ts';
export { createStdioClientTransport } from '../transport/stdio/client.ts';
export type { StdioClientTransport, StdioClientTransportOptions } from '../transport/stdio/client.ts';
export type { DisposableTransport } from '../transport/disposable.ts';
export * from './auth/index.ts';
export type { HttpClientAuth, AuthChallengeReply } from '../transport/http/client-auth.ts';
