/** Streamable HTTP (legacy era): the server handler, its Node adapter, and the client. */
export { createHttpServerHandler } from './server.ts';
export type { HttpServerHandler } from './server.ts';
export { HTTP_SERVER_DEFAULTS, defaultAllowedHosts, isWildcardHost } from './server-options.ts';
export type { HttpServerOptions, HttpSessionInfo } from './server-options.ts';
export { LISTEN_DEFAULTS, listen, machineAddresses, toExchangeListener, toNodeListener } from './node-adapter.ts';
export type { ExchangeHandler, ExchangeServable, InboundRequest, Reply } from './exchange.ts';
export type { SseConnection, SseSink } from './sse-connection.ts';
export type { FetchHandler, ListenOptions, ListeningServer } from './node-adapter.ts';
export { createHttpClientTransport } from './client.ts';
export type { HttpClientTransport, HttpClientTransportOptions, ResumeOptions as HttpResumeOptions } from './client.ts';
export type { FetchLike, FetchInit } from './client-fetch.ts';
export { DEFAULT_RECONNECT } from './reconnect.ts';
export type { ReconnectOptions } from './reconnect.ts';
