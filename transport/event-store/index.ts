/** Resumable stream history for the legacy Streamable HTTP transport (2025-11-25 basic/transports). */
export type { EventStore, FollowOptions, FollowResult, OpenStreamOptions, SessionRelay, SessionStateStore, SessionEventStore, SavedSessionState, StreamKey, ReplayHandler } from './types.ts';
export { ResumeError, ResumeFailure } from './resume-error.ts';
export { createMemoryEventStore } from './memory.ts';
export type { MemoryEventStoreOptions } from './memory.ts';
export { createFileEventStore } from './file.ts';
export type { FileEventStoreOptions } from './file.ts';
export type { FsyncMode } from './log-file.ts';
export { eventStoreContract } from './contract.ts';
export type { EventStoreContractCase, EventStoreContractOptions } from './contract.ts';
