/** Streamable HTTP (legacy era), server side: the handler's types and its Node adapter. The client is in client.ts. */
export type { HttpServerHandler } from './server.ts';
export { defaultAllowedHosts, isWildcardHost } from './server-options.ts';
export type { HttpServerOptions, HttpSessionInfo } from './server-options.ts';
export { listen, machineAddresses, toExchangeListener, toNodeListener } from './node-adapter.ts';
export type { NodeListener } from './node-adapter.ts';
export { createHostGuard } from './host-guard.ts';
export type { GuardHeaders, HostGuardOptions, HostGuardRefusal } from './host-guard.ts';
export type { ExchangeHandler, ExchangeServable, ExchangeTo, InboundRequest, ReplySink, ServerReply } from './exchange.ts';
export type { BoundAddress } from './allowed-peers.ts';
export type { SseConnection, SseSink } from './sse-connection.ts';
export type { FetchHandler, ListenOptions, ListeningServer } from './node-adapter.ts';
