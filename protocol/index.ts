/** mcpwire/protocol: the platform-free wire format and session engine. */
export { ErrorCode, LocalErrorCode, RpcError, McpError, HttpError, toRpcErrorObject } from './errors.ts';
export type { RpcErrorObject } from './errors.ts';
export {
  JSONRPC_VERSION, UnparsablePayload, OversizePayload, MAX_QUOTED_METHOD_CHARS, quoteMethod, parseJson, classify, classifyPayload, isRequestId,
  isRequest, isNotification, isResponse, isErrorResponse, makeErrorResponse,
} from './jsonrpc.ts';
export type {
  RequestId, JsonRpcRequest, JsonRpcNotification, JsonRpcResponse, JsonRpcResultResponse,
  JsonRpcErrorResponse, JsonRpcMessage, Inbound, InboundPayload,
} from './jsonrpc.ts';
export type { Transport, TransportHandlers, SendOptions, MessageExtra } from './transport.ts';
export {
  SUPPORTED_PROTOCOL_VERSIONS, LATEST_PROTOCOL_VERSION, MODERN_PROTOCOL_VERSION,
  isSupportedVersion, negotiateVersion, eraOf, versionAtLeast, allowsBatches,
} from './versions.ts';
export type { ProtocolVersion, Era } from './versions.ts';
export {
  hasCapability, serverCapabilityFor, clientCapabilityFor, clientSupportsElicitationMode, capabilityName, methodSince,
} from './capabilities.ts';
export type { CapabilityPath } from './capabilities.ts';
export { createSession } from './session.ts';
export type { Session, SessionOptions, RequestOptions, RequestContext, RequestHandler, NotificationHandler } from './session.ts';
export { createCorrelation, systemTimers } from './correlation.ts';
export type { Timers, Correlation } from './correlation.ts';
export { createManualTimers } from './manual-timers.ts';
export type { ManualTimers } from './manual-timers.ts';
export type { Progress, ProgressCallback } from './progress.ts';
export { CancelledByPeer } from './cancellation.ts';
export { DEFAULT_SESSION_LIMITS, DEFAULT_MAX_MESSAGE_BYTES } from './limits.ts';
export type { SessionLimits } from './limits.ts';
export type {
  ClientRequests, ServerRequests, ClientNotifications, ServerNotifications, ClientSide, ServerSide,
  SideMaps, MethodSpec, ParamsOf, ResultOf,
} from './methods.ts';
export { LOGGING_LEVELS } from './types/index.ts';
export type * from './types/index.ts';
