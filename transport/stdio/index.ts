/** The stdio transport (basic/transports, stdio): newline-delimited JSON over a subprocess's pipes. */
export { createStdioServerTransport } from './server.ts';
export type { StdioServerTransportOptions } from './server.ts';
export { createStdioClientTransport } from './client.ts';
export type { StdioClientTransport, StdioClientTransportOptions } from './client.ts';
export { createLineDecoder, encodeLine } from './framing.ts';
export type { LineDecoder, LineDecoderOptions } from './framing.ts';
