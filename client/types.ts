/** The client's public shapes: its options, and the {@link McpClient} it returns. */
import type {
  CallToolResult, ClientCapabilities, CompleteResult, CompletionReference, CreateMessageParams, CreateMessageResult,
  ElicitParams, ElicitResult, GetPromptResult, GetTaskResult, Implementation, LoggingLevel, LoggingMessageParams,
  ProgressCallback, ProgressToken, Prompt, ReadResourceResult, RequestId, Resource, ResourceTemplate, Result, Root,
  ServerCapabilities, Peer, PeerLimits, Task, Timers, Tool, Transport, ClientSide, CancelTaskResult,
} from '../protocol/index.ts';
import type { WaitForElicitationOptions } from './url-elicitation.ts';
import type { PingOptions } from '../protocol/ping.ts';
import type { ResumeStore } from './resume-store.ts';
import type { TaskCallOptions, TaskClient } from './tasks.ts';
import type { EraCache, EraChoice } from './era.ts';
import type { ListenFilter, ListenHandlers, ListenOptions, Listening } from './modern-listen.ts';
import type { StandardSchemaLike, StructuredOf, TypedCallToolResult } from './tool-results.ts';

/** What a callback answering the server is told besides the params. */
export interface InboundContext {
  /**
   * Aborted when the server cancels its request, the session ends, or our request it belongs
   * to ({@link relatedRequestId}) has ended: answered, failed, timed out or aborted by its caller.
   * Over stdio, which does not tell, a request asked while exactly one of ours was pending is
   * taken to belong to that one (SDK 2.4's server does not cancel its question with the call).
   */
  readonly signal: AbortSignal;
  /** The server's JSON-RPC id of this request. */
  readonly requestId: RequestId;
  /**
   * Our request this one belongs to, e.g. the `tools/call` whose handler asks for a form: the
   * request whose response stream carried it (2025-11-25 basic/transports: a server sends the
   * requests related to a POST on that POST's SSE stream). Undefined when the transport cannot
   * tell (stdio, the standalone GET stream).
   */
  readonly relatedRequestId: RequestId | undefined;
  /** The server that asked, as it introduced itself in `initialize` (undefined after a rejoin). */
  readonly server: Implementation | undefined;
}

/** What a notification callback is told besides the params (see {@link InboundContext}). */
export interface NotificationContext {
  /** Our request the notification belongs to, when the transport can tell (the stream it came on). */
  readonly relatedRequestId: RequestId | undefined;
  /** The server that sent it (undefined after a rejoin). */
  readonly server: Implementation | undefined;
}

/** How the client handles form elicitation (2025-11-25 client/elicitation). */
export interface ElicitationOptions {
  /**
   * Modes to declare when `capabilities.elicitation` is not given. Default `['form']`. With
   * `onElicit`, naming neither `'form'` nor `'url'` is a RangeError at `createClient`.
   */
  modes?: ReadonlyArray<'form' | 'url'>;
  /**
   * Fill the fields an accepted form leaves out from their schema `default` (SEP-1034) before
   * answering; declared as `elicitation.form.applyDefaults`. Default: whether the declared
   * capabilities say `elicitation.form.applyDefaults: true`.
   */
  applyDefaults?: boolean;
  /** Check accepted content against `requestedSchema` and refuse to send invalid content. Default true. */
  validateContent?: boolean;
}

/** The lists whose `list_changed` notification the client hears. */
export type ListKind = 'tools' | 'prompts' | 'resources';

/** Options of `createClient`; its count options are checked there (README "Limits and defaults"). */
export interface ClientOptions {
  /** Remember started tasks in this resume store (under `serverKey`) until their result is fetched. */
  taskMemory?: { store: ResumeStore; serverKey: string };
  /** Capabilities to declare (2025-11-25 shape); those implied by the options below are added. */
  capabilities?: ClientCapabilities;
  /**
   * Check `structuredContent` of `callTool` results against the tool's `outputSchema` as
   * last listed by `listTools` (a violation rejects with ToolResultError). Default true.
   */
  validateStructuredContent?: boolean;
  /**
   * Deepest nesting of objects and arrays in a JSON Schema `outputSchema` (a server's listed
   * one, or the caller's), or in the `inputSchema` of a tool offered in sampling that a model's
   * `tool_use` is checked against, before it is compiled; a deeper one rejects the call (or
   * refuses the sampling answer) with MCP_ERR_VALIDATION naming this option. Default 64, as the
   * server's validator.
   */
  maxSchemaDepth?: number;
  /** Most objects and arrays in a JSON Schema `outputSchema`, as {@link maxSchemaDepth}. Default 10 000. */
  maxSchemaNodes?: number;
  /**
   * Answer `elicitation/create` in the modes declared (see {@link ElicitationOptions}). A form
   * is refused with -32602 before this is called when its schema is not flat and primitive.
   */
  onElicit?: (params: ElicitParams, ctx: InboundContext) => ElicitResult | Promise<ElicitResult>;
  /** The elicitation modes to declare and how forms are treated. Default: form only, when `onElicit` is given. */
  elicitation?: ElicitationOptions;
  /**
   * Answer `sampling/createMessage`; declares `sampling: {}`. Requests offering tools to a
   * client without `sampling.tools`, or with unanswered `tool_use`, are refused with -32602.
   * Sampling is Deprecated from 2026-07-28 (SEP-2577, deprecated.mdx); still answered in both eras.
   */
  onSample?: (params: CreateMessageParams, ctx: InboundContext) => CreateMessageResult | Promise<CreateMessageResult>;
  /** Sub-capabilities of sampling to declare: `tools` (tool use, SEP-1577) and `context` (includeContext). */
  sampling?: { tools?: boolean; context?: boolean };
  /** Answer `roots/list`; declares `roots: { listChanged: true }`. Roots are Deprecated from 2026-07-28 (SEP-2577). */
  onRoots?: (ctx: InboundContext) => Root[] | Promise<Root[]>;
  /** A fixed list of roots to answer `roots/list` with (see `setRoots`); declares roots like `onRoots`. */
  roots?: Root[];
  /** Server log messages (`notifications/message`); `ctx` names the call a message belongs to, when known. */
  onLog?: (params: LoggingMessageParams, ctx: NotificationContext) => void;
  /** A subscribed resource changed (`notifications/resources/updated`); read it again to see how. */
  onResourceUpdated?: (uri: string) => void;
  /** A list changed (`notifications/{tools,prompts,resources}/list_changed`); list it again. */
  onListChanged?: (list: ListKind) => void;
  /** An out-of-band URL elicitation this client knows about completed. Unknown ids are ignored. */
  onElicitationComplete?: (elicitationId: string) => void;
  /** Every server notification except log messages, as received (after the callbacks above). */
  onNotification?: (method: string, params: Record<string, unknown> | undefined) => void;
  /**
   * Protocol version to ask for; 2026-07-28 pins the modern era. Default 2025-11-25. In the
   * 2025 era it is a proposal (basic/lifecycle: version negotiation): a server that does not
   * speak it answers with one it does, which the client takes when it supports it too.
   */
  protocolVersion?: string;
  /** The peer's bounds: timeouts, pending requests, handlers in flight (README "Limits and defaults"). */
  limits?: Partial<PeerLimits>;
  /** The clock of every timeout, retry and cache the client keeps (tests inject one). Default: the system's. */
  timers?: Timers;
  /**
   * Ping the server of a 2025 session every `intervalMs` (2025-11-25 basic/utilities/ping:
   * implementations SHOULD ping periodically, at a configurable frequency). A ping left
   * unanswered `timeoutMs` (default 10 000) is reported through `onError`; `maxMissed` in a row
   * (default 2) close the client, its pending calls rejected with MCP_ERR_CLOSED and `onClose`
   * given the MCP_ERR_TIMEOUT that says why. Default: no pings (a server that exits closes its
   * pipe or socket, which the client sees anyway; pings find one that hangs, at a wake-up per
   * interval). The timers never keep the process alive. 2026-07-28 connections have no
   * session to watch and are not pinged.
   */
  ping?: PingOptions;
  /** Non-fatal faults: refused server requests, unparsable messages, failed answers, missed pings. */
  onError?: (error: Error) => void;
  /** The connection ended; `error` says why when it did not end by `close()`. */
  onClose?: (error?: Error) => void;
  /** Upper bound on pages fetched by the list helpers (guards against cursor loops). Default 1 000. */
  maxPages?: number;
  /**
   * First id for our requests. A process rejoining an HTTP session a previous process
   * started passes a value past every id that process used (e.g. `Date.now() * 1000`).
   */
  firstRequestId?: number;
  /**
   * When the server forgets the session (HTTP 404), initialize a new one, renew resource
   * subscriptions and retry the request once (2025-11-25 basic/transports: sessions). Default true.
   */
  reinitializeOnExpiry?: boolean;
  /** Told each time the session expired and a new one was initialized. */
  onReinitialized?: (reason: Error) => void;
  /**
   * Which protocol era to speak (2026-07-28 basic/versioning). `auto` sends `server/discover`
   * first and falls back to `initialize` when the server is not modern; `legacy` goes straight
   * to `initialize`; `legacy-first` sends `initialize` and speaks 2026-07-28 only when the
   * server refuses it with a modern error (-32022 and the like: a modern-only server), keeping
   * the legacy era's sessions and resumption wherever they are offered; `modern` speaks
   * 2026-07-28 only. Default: `modern` when `protocolVersion`
   * names 2026-07-28, else `legacy` when it names another version (negotiated by `initialize`), else `legacy` (the era
   * whose features, resumption, core tasks and subscriptions, every caller can count on).
   */
  era?: EraChoice;
  /**
   * How long an `auto` connect waits for `server/discover` before deciding legacy (stdio).
   * Over stdio the probe is the new process's first message, so this bound also covers the
   * server's start-up: raise it for servers slow to start (a Python or `npx` server on a
   * loaded machine), or pin `era`. Default 5 000 ms.
   */
  discoverTimeoutMs?: number;
  /** Where era answers are cached per origin (HTTP) or per transport (stdio); `false` for none. Default: one per process. */
  eraCache?: EraCache | false;
  /** Rounds of input one multi round-trip request may ask for before it fails (2026-07-28). Default 10. */
  maxInputRounds?: number;
  /**
   * Input requests one round may ask for at once (2026-07-28); a round asking more fails the
   * request with MCP_ERR_TOO_MANY_PENDING before any is answered. Default 64.
   */
  maxInputRequests?: number;
}

/** What a rejoining client already knows about its session (from a resume store). */
export interface RejoinState {
  /** The version the session was initialized with: sent in `MCP-Protocol-Version` at once. */
  protocolVersion: string;
  /** What the server declared at initialize (capability checks work before any new request). */
  serverCapabilities?: ServerCapabilities;
  /** The server's name and version from initialize. */
  serverInfo?: Implementation;
}

/** Options of one helper call. */
export interface CallOptions {
  /**
   * Abort the call: the server is told (`notifications/cancelled`; over 2026-07-28 HTTP, the
   * call's stream is closed) and the call rejects with MCP_ERR_ABORTED.
   */
  signal?: AbortSignal;
  /** Idle timeout in ms; default the peer's `requestTimeoutMs` (`limits`). */
  timeoutMs?: number;
  /** List helpers, 2026-07-28: ask the server even when a cached list is within its `ttlMs`. */
  refresh?: boolean;
}

/** Options of `callTool`: a call's, progress, resumption and the task options. */
export interface CallToolOptions extends CallOptions, Omit<TaskCallOptions, keyof CallOptions> {
  /** The call's progress (a progress token is sent with it). */
  onProgress?: ProgressCallback;
  /** Bound on the whole call, progress or not; default the peer's `maxTotalTimeoutMs` (`limits`). */
  maxTotalTimeoutMs?: number;
  /** Told each SSE event id of the call's stream (Streamable HTTP, 2025 era), to resume it with `resumeCall`. */
  onResumptionToken?: (token: string) => void;
  /** Told the JSON-RPC id of the call, to store with its resumption token. */
  onRequestId?: (id: RequestId) => void;
  /**
   * Check `structuredContent` against this schema instead of the listed one: a Standard
   * Schema (the result is typed by it and carries its parsed output) or a JSON Schema.
   */
  outputSchema?: StandardSchemaLike | object;
}

/** A client made by `createClient`. */
export interface McpClient {
  /** Tasks in both eras (client/tasks.ts): get, list (2025), update (2026), cancel, wait. */
  readonly tasks: TaskClient;
  /** Start the session and perform `initialize` / `notifications/initialized`. */
  connect(transport: Transport, options?: { signal?: AbortSignal; timeoutMs?: number; rejoin?: RejoinState }): Promise<void>;
  /**
   * The JSON-RPC engine under this client: extra handlers, and requests sent exactly as given.
   * In 2026-07-28 such a request carries no envelope (no `_meta` version and capabilities), so
   * a server takes it for a 2025 request; {@link McpClient.request} adds it.
   */
  readonly peer: Peer<ClientSide>;
  /**
   * Any request, in the era spoken: in 2026-07-28 with the envelope in `params._meta` beside the
   * caller's own keys (basic/lifecycle), the logging level set, and the -32022 retry; in
   * 2025-11-25 on the session, retried once on a new session if the server forgot it. The result
   * comes back as the server sent it (an InputRequiredResult is not answered: `callTool` does that).
   */
  request<R = Record<string, unknown>>(method: string, params?: Record<string, unknown>, options?: CallOptions & { onProgress?: ProgressCallback }): Promise<R>;
  /** The version negotiated (2025) or spoken (2026-07-28), once connected. */
  readonly protocolVersion: string | undefined;
  /** What the server declared in `initialize` or `server/discover`, once connected. */
  readonly serverCapabilities: ServerCapabilities | undefined;
  /** The server's `serverInfo`, once connected. */
  readonly serverInfo: Implementation | undefined;
  /** The server's `instructions` for the model, when it gave any. */
  readonly instructions: string | undefined;
  /** The capabilities this client declares. */
  readonly capabilities: ClientCapabilities;
  /** The era spoken with this server, once connected. */
  readonly era: 'legacy' | 'modern' | undefined;

  /** Every tool, following `nextCursor` through all pages. */
  listTools(options?: CallOptions): Promise<Tool[]>;
  /**
   * `tools/call`. With `options.outputSchema` (a Standard Schema) the result's
   * `structuredContent` is checked and typed by it; otherwise it is checked against the
   * tool's listed `outputSchema`, if any. A violation rejects with ToolResultError.
   */
  callTool<const S extends StandardSchemaLike>(name: string, args: Record<string, unknown> | undefined, options: CallToolOptions & { outputSchema: S }): Promise<TypedCallToolResult<StructuredOf<S>>>;
  callTool(name: string, args?: Record<string, unknown>, options?: CallToolOptions): Promise<CallToolResult>;
  /**
   * Pick up a call a previous process started: await the response to `requestId` and
   * resume its stream after `lastEventId` (the transport must support `resume`, as the
   * HTTP client does). Progress for the call's token goes to `onProgress`.
   */
  resumeCall(requestId: RequestId, lastEventId: string, options?: CallToolOptions & { progressToken?: ProgressToken }): Promise<CallToolResult>;

  /** Every resource, through all pages (`resources/list`). */
  listResources(options?: CallOptions): Promise<Resource[]>;
  /** Every resource template, through all pages (`resources/templates/list`). */
  listResourceTemplates(options?: CallOptions): Promise<ResourceTemplate[]>;
  /** `resources/read` (2026-07-28: answers the server's input requests, like `callTool`). */
  readResource(uri: string, options?: CallOptions): Promise<ReadResourceResult>;
  /** `resources/subscribe`; `onResourceUpdated` then hears about `uri`. Renewed after a re-initialize. */
  subscribeResource(uri: string, options?: CallOptions): Promise<void>;
  /** `resources/unsubscribe`: `onResourceUpdated` no longer hears about `uri`. */
  unsubscribeResource(uri: string, options?: CallOptions): Promise<void>;
  /** The URIs this client is subscribed to. */
  readonly subscriptions: ReadonlySet<string>;

  /** Every prompt, through all pages (`prompts/list`). */
  listPrompts(options?: CallOptions): Promise<Prompt[]>;
  /** `prompts/get` with the prompt's arguments (2026-07-28: answers input requests, like `callTool`). */
  getPrompt(name: string, args?: Record<string, string>, options?: CallOptions): Promise<GetPromptResult>;
  /**
   * `completion/complete` for a prompt or resource-template argument; `context.arguments`
   * holds the values of the other arguments already filled in (2025-06-18+).
   */
  complete(
    ref: CompletionReference, argument: { name: string; value: string },
    options?: CallOptions & { context?: { arguments?: Record<string, string> } },
  ): Promise<CompleteResult['completion']>;

  /** 2025: `logging/setLevel`; 2026-07-28: the level each later request names in `_meta`. Logging is Deprecated from 2026-07-28 (SEP-2577). */
  setLoggingLevel(level: LoggingLevel, options?: CallOptions): Promise<void>;
  /** `ping`: resolves when the server answers. */
  ping(options?: CallOptions): Promise<void>;

  /** `tasks/get` (2025-11-25 basic/utilities/tasks). */
  getTask(taskId: string, options?: CallOptions): Promise<GetTaskResult>;
  /** `tasks/result`: the result of the request the task ran, once it finished. */
  getTaskResult<R = Result>(taskId: string, options?: CallOptions): Promise<R>;
  /** Every task, through all pages (`tasks/list`). */
  listTasks(options?: CallOptions): Promise<Task[]>;
  /** `tasks/cancel`: the task as it stands after the request. */
  cancelTask(taskId: string, options?: CallOptions): Promise<CancelTaskResult>;

  /** Replace the roots answered to `roots/list` and tell the server (2025-11-25 client/roots). */
  setRoots(roots: Root[]): Promise<void>;
  /** Tell the server the roots changed (needs the roots capability). */
  rootsChanged(): Promise<void>;
  /**
   * Listen for changes (2026-07-28 `subscriptions/listen`; re-listened with backoff after a
   * drop, with every watched list and resource reported changed once it is back). Handlers
   * left out fall back to `onListChanged` / `onResourceUpdated`. In the legacy era the
   * resources are subscribed on the session (`resources/subscribe`) and list changes come on it.
   */
  listen(filter: ListenFilter, handlers?: ListenHandlers, options?: ListenOptions): Listening & {
    /** `close()`, for `await using listening = client.listen(...)`. */
    [Symbol.asyncDispose](): Promise<void>;
  };
  /**
   * Resolves when the server sends `notifications/elicitation/complete` for `elicitationId`
   * (at once if it already did). Ids from URL elicitations and -32042 errors are tracked.
   */
  waitForElicitation(elicitationId: string, options?: WaitForElicitationOptions): Promise<void>;
  /**
   * Close the session's transport. Calls still pending are cancelled first (the server's
   * handlers see their signal abort) and reject with MCP_ERR_CLOSED, "... cancelled: client
   * closed while it was pending". Over HTTP the session is ended with DELETE, unless
   * `terminate: false`: the server keeps it and its calls, to be resumed later (`sessionId`,
   * `rejoin`, `resumeCall`), so nothing is cancelled.
   */
  close(options?: { terminate?: boolean }): Promise<void>;
  /** `close()`, for `await using client = createClient(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
  /** The HTTP session id, once the server gave one (undefined on stdio and memory transports). */
  readonly sessionId: string | undefined;
}
