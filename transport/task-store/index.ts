/** Where durable tasks (2025-11-25 basic/utilities/tasks) live: the TaskStore, its implementations and its contract suite. */
export type { TaskStore, TaskRecord, TaskChange, TaskInputRequest, TaskOutcome, TaskPage, TaskQuery, TaskRequestRecord, TaskStoreLimits, TaskCreateOptions } from './types.ts';
export { createMemoryTaskStore } from './memory.ts';
export type { MemoryTaskStoreOptions } from './memory.ts';
export { createFileTaskStore } from './file.ts';
export type { FileTaskStoreOptions } from './file.ts';
export { taskStoreContract } from './contract.ts';
export type { TaskStoreContractCase, MakeTaskStore } from './contract.ts';
