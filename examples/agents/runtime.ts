/** What both agents share: where records live, how they are announced, and the pace. */
import type { RecordKind, RecordStore } from './store.ts';

/** The services a handler uses; tests build one by hand. */
export interface AgentRuntime {
  store: RecordStore;
  /** List a record as a resource (`resources/list`) the first time it is saved; optional in tests. */
  listed?(kind: RecordKind, record: { id: string; uri: string }): void;
  /** Tell subscribers a resource changed (`McpServer.resourceUpdated`). */
  resourceUpdated(uri: string): Promise<unknown>;
  /** Pause between steps. */
  stepDelayMs: number;
  /** The clock: default travel dates count from it, and records are stamped with it. */
  now(): Date;
  /** How long to wait for the user's confirmation (elicitation); undefined: the server's default. */
  confirmTimeoutMs: number | undefined;
  /** How long to wait for the client's model (sampling); undefined: the server's default. */
  summaryTimeoutMs: number | undefined;
}

/** Base of the resource URIs the agents serve. */
export const URI_BASE = 'agents://';

/** Write a record and tell the resource's subscribers. */
export async function saveRecord(rt: AgentRuntime, kind: RecordKind, record: { id: string; uri: string }): Promise<void> {
  await rt.store.write(kind, record.id, record);
  rt.listed?.(kind, record);
  await rt.resourceUpdated(record.uri);
}
