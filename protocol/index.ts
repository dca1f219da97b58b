/**
 * mcpwire/protocol: the platform-free wire format and peer engine. What a user needs:
 * the errors, the message and Transport types, the supported versions, and createPeer for
 * a custom peer. The library's own layers import the rest from the files that define it.
 */
export { ErrorCode, LocalErrorCode, RpcError, McpError, HttpError } from './errors.ts';
export type { RpcErrorObject } from './errors.ts';
export { UnparsablePayload, OversizePayload, parseJson, isRequestId, DEFAULT_MAX_JSON_DEPTH } from './jsonrpc.ts';
export type {
  RequestId, JsonRpcRequest, JsonRpcNotification, JsonRpcResponse, JsonRpcResultResponse,
  JsonRpcErrorResponse, JsonRpcMessage, Inbound, InboundPayload,
} from './jsonrpc.ts';
export type { Transport, TransportHandlers, SendOptions, SendFailure, MessageExtra, AuthInfo } from './transport.ts';
export { SUPPORTED_PROTOCOL_VERSIONS, LATEST_PROTOCOL_VERSION, isSupportedVersion, eraOf, versionAtLeast } from './versions.ts';
export type { ProtocolVersion, Era } from './versions.ts';
export type { CapabilityPath } from './capabilities.ts';
export { createPeer } from './peer.ts';
export type { Peer, PeerOptions, PeerCloseOptions, RequestOptions, RequestContext, RequestHandler, NotificationHandler } from './peer.ts';
export type { Timers } from './correlation.ts';
export type { Progress, ProgressCallback } from './progress.ts';
export { CancelledByPeer } from './cancellation.ts';
export type { PeerLimits } from './limits.ts';
export type {
  ClientRequests, ServerRequests, ClientNotifications, ServerNotifications, ClientSide, ServerSide,
  SideMaps, MethodSpec, ParamsOf, ResultOf,
} from './methods.ts';
export { LOGGING_LEVELS } from './types/index.ts';
export { boundedText } from './bounded-text.ts';
export type * from './types/index.ts';
