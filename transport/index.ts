/** mcpwire/transport: implementations of the Transport contract. */
export { createMemoryPair } from './memory.ts';
export type { MemoryTransportOptions } from './memory.ts';
export { createStdioServerTransport, createStdioClientTransport, createLineDecoder, encodeLine } from './stdio/index.ts';
export type {
  StdioServerTransportOptions, StdioClientTransport, StdioClientTransportOptions, LineDecoder, LineDecoderOptions,
} from './stdio/index.ts';
export * from './sse/index.ts';
export * from './event-store/index.ts';
export * from './http/index.ts';
