/**
 * The host's view of one server, as the rest of the host uses it (connection.ts makes it):
 * what it hands up, how it is configured, and what it offers.
 */
import type { EraChoice, HttpClientAuth, InflightRequest, McpClient, PingOptions, ResumeStore } from 'mcpwire/client';
import type {
  CallToolResult, CreateMessageParams, CreateMessageResult, ElicitParams, ElicitResult, Implementation,
  LoggingLevel, LoggingMessageParams, Progress, ReadResourceResult, RequestId, Root, Tool,
} from 'mcpwire/protocol';
import type { ServerSpec } from './config.ts';
import type { CallJournal } from './journal.ts';
import type { ProgressState } from './progress-view.ts';
import type { RestartPolicy } from './restarts.ts';

/** What the connection hands up; `call` is our request the message belongs to, when known. */
export interface ConnectionEvents {
  elicit(call: RequestId | undefined, params: ElicitParams, signal: AbortSignal): Promise<ElicitResult>;
  sample(call: RequestId | undefined, params: CreateMessageParams, signal: AbortSignal): Promise<CreateMessageResult>;
  log(call: RequestId | undefined, params: LoggingMessageParams): void;
  /** The client refused what the server asked (-32602) before it reached `elicit` or `sample`. */
  refused?(call: RequestId | undefined, method: string, problem: string): void;
  resourceUpdated(uri: string): void;
  /** One line about the connection itself (unreachable, back, new session); `good` news is not a warning. */
  notice(text: string, good?: 'good'): void;
  /** Faults worth showing only with --verbose. */
  debug(text: string): void;
}

export interface ConnectionOptions {
  spec: ServerSpec;
  store: ResumeStore;
  events: ConnectionEvents;
  logLevel: LoggingLevel;
  /** Idle timeout of a call, reset by progress and paused while a form is open. */
  callTimeoutMs: number;
  /** Roots offered to the server (2025-11-25 client/roots); none declared when undefined. */
  roots?: Root[];
  /** How a stdio server that exits is restarted. Default `DEFAULT_RESTART_POLICY` (restarts.ts). */
  restart?: RestartPolicy;
  /** Credentials of an HTTP server (sign-in.ts). */
  auth?: HttpClientAuth;
  /** The protocol era to speak (`--era`). Default `legacy-first`. */
  era?: EraChoice;
  /** How long a connect (the handshake) may take before the server counts as not answering. Default `DEFAULT_CONNECT_TIMEOUT_MS` (connection-defaults.ts). */
  connectTimeoutMs?: number;
  /** Largest message read from the server: an HTTP body or SSE event, a stdio line. Default `DEFAULT_HOST_MAX_MESSAGE_BYTES` (connection-defaults.ts). */
  maxMessageBytes?: number;
  /** Tries to reopen an HTTP stream cut off before its call ends cut off. Default `DEFAULT_RECONNECT_ATTEMPTS` (connection-defaults.ts). */
  reconnectAttempts?: number;
  /**
   * Whether a call cut off by a lost server waits for it to come back (the REPL: its resumption
   * is kept, `resume` reaches it). False for `--exec`, which has one call and fails it. Default true.
   */
  keepsCalls?: boolean;
  /**
   * While whoever runs the server starts it again (the demo, after a kill -9): resolves once it
   * has said so. The "reachable again" notice waits for it, so it comes after that line, not
   * before it (hostwalk12's leftover). Default: none.
   */
  serverRestarting?: () => Promise<void> | undefined;
  /**
   * Ping the server of a 2025 session (the client's `ping`): `maxMissed` unanswered in a row
   * close the client, and the server counts as down (stdio: restarted; HTTP: connected again
   * at the next use). Default: no pings.
   */
  ping?: PingOptions;
  /** How long a call waits for its resumption entry to be on disk (write-ahead). Default `DEFAULT_WRITE_AHEAD_WAIT_MS` (connection-defaults.ts). */
  writeAheadWaitMs?: number;
  /** Resolves once the host's own record of its calls is on disk (history.ts `flush`): a call's number survives a kill too. */
  saved?: () => Promise<void>;
  /** The 2025 session the host's unfinished tasks belong to, rejoined when no call is on record (task-calls.ts). */
  taskSession?: () => { sessionId: string; protocolVersion: string } | undefined;
}

export interface CallHooks {
  onProgress(p: Progress): void;
  onRequestId?(id: RequestId): void;
  signal: AbortSignal;
  /** The call is a plan step's attempt: the plan runs the step again, not the person (lost-contact.ts). */
  byPlan?: boolean;
  /** Whether the plan moves the call to another server if this one stops answering (lost-contact.ts). */
  planMoves?(): boolean;
}

/** `down`: a stdio server exited; it is restarted (see restarts.ts) or waits for the next use. */
export type ConnectionState = 'new' | 'connecting' | 'ready' | 'unreachable' | 'down' | 'closed';

export interface Connection {
  readonly spec: ServerSpec;
  readonly name: string;
  readonly state: ConnectionState;
  /** Why the connection is not ready (how a stdio server exited, when it restarts), if known. */
  readonly detail: string | undefined;
  /** A stdio server whose process exited is being started again by the host (its restart is scheduled): back in a moment. */
  readonly restarting: boolean;
  readonly serverInfo: Implementation | undefined;
  /** The protocol era and version spoken with the server, once connected. */
  readonly era: 'legacy' | 'modern' | undefined;
  readonly protocolVersion: string | undefined;
  readonly sessionId: string | undefined;
  /** Streams resumed so far (a dropped connection, a restarted server): GETs with Last-Event-ID. */
  readonly reconnects: number;
  /** The session was re-joined from stored tokens (no handshake in this run). */
  readonly rejoined: boolean;
  readonly journal: CallJournal;
  /**
   * Why the last connect failed, when the server took the connection but did not answer the
   * handshake in time (explained); undefined once it answers, or when it failed another way.
   */
  readonly unanswered: string | undefined;
  /**
   * Why requests to the server fail now, while calls wait on it (connection refused): it was
   * `ready` and is not reachable; undefined once it answers again. `status` and `servers` say it.
   */
  readonly lostContact: string | undefined;
  /**
   * While contact is lost: the line `status` and `servers` say, true for each call waiting on
   * the server now (lost-contact.ts): kept, or had no answer yet. Undefined otherwise.
   */
  readonly contactState: string | undefined;
  /** Connect (or rejoin) if not yet; rejects with an explained Error. */
  ensure(): Promise<McpClient>;
  tools(refresh?: boolean): Promise<Tool[]>;
  call(tool: string, args: Record<string, unknown>, hooks: CallHooks): Promise<CallToolResult>;
  /** Resume a call an earlier run left in flight. */
  resume(entry: InflightRequest, hooks: CallHooks): Promise<CallToolResult>;
  /** Hold or release a call's stored position (see CallJournal; `undoRelease` too). */
  hold(id: RequestId, undoRelease?: boolean): void;
  /** Hold for a question the call's latest event carried (see CallJournal). */
  holdQuestion(id: RequestId): void;
  release(id: RequestId): void;
  /** Release with the call's next event (an answer was sent; see CallJournal). */
  releaseOnNext(id: RequestId): void;
  /** The person saw this progress of the call: kept with its record for a next run (see CallJournal). */
  noteProgress(id: RequestId, progress: ProgressState): void;
  /**
   * Resolves true once the journal's changes so far are on disk, false when that took longer
   * than `writeAheadWaitMs` (a stalled disk must not hold the person's view back).
   */
  saved(): Promise<boolean>;
  readResource(uri: string): Promise<ReadResourceResult>;
  /** End the connection; `keepSession` leaves the session (and calls) running on the server. */
  close(keepSession: boolean): Promise<void>;
}
