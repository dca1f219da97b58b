/** Streamable HTTP (legacy era): the server handler, its Node adapter, and the client. */
export { createHttpServerHandler } from './server.ts';
export type { HttpServerHandler } from './server.ts';
export { HTTP_SERVER_DEFAULTS, defaultAllowedHosts } from './server-options.ts';
export type { HttpServerOptions, HttpSessionInfo } from './server-options.ts';
export { listen, toNodeListener } from './node-adapter.ts';
export type { FetchHandler, ListenOptions, ListeningServer } from './node-adapter.ts';
