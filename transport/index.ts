/**
 * mcpwire/transport: what a server runs on (memory pair, stdio server, the Streamable HTTP
 * server and its Node adapter) and the event stores behind resumable HTTP. The client
 * transports (HTTP on undici, stdio child process) are exported by mcpwire/client, so a
 * server never loads them.
 */
export { createMemoryPair } from './memory.ts';
export type { MemoryTransportOptions } from './memory.ts';
export type { DisposableTransport } from './disposable.ts';
export { createStdioServerTransport } from './stdio/server.ts';
export type { StdioServerTransportOptions } from './stdio/server.ts';
export * from './event-store/index.ts';
export * from './http/index.ts';
export { createMemoryTaskStore, createFileTaskStore, taskStoreContract } from './task-store/index.ts';
export type {
  TaskStore, TaskRecord, TaskChange, TaskInputRequest, TaskOutcome, TaskPage, TaskQuery, TaskRequestRecord, TaskStoreLimits,
  MemoryTaskStoreOptions, FileTaskStoreOptions, TaskStoreContractCase, MakeTaskStore,
} from './task-store/index.ts';
export { createSseDecoder } from './sse/decode.ts';
export type { SseEvent, SseDecoder, SseDecoderOptions } from './sse/decode.ts';
export { makeDirs } from './make-dirs.ts';
export { createFileMarkers, FILE_MARKERS_DEFAULTS } from './file-markers.ts';
export type { FileMarkers, FileMarkersOptions } from './file-markers.ts';
export type { SingleUseMarkers } from './single-use-markers.ts';
export type { DirOps } from './make-dirs.ts';
