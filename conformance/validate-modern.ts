/**
 * What a 2026-07-28 request's `_meta` asks of the server's answer, for the two validator rules
 * that hold a server to it: log messages only for a request that set a log level, and task
 * handles only for a request that declared the tasks extension.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 2026-07-28 schema RequestMetaObject keys. */
const LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
/** ext-tasks: the extension's id in `capabilities.extensions`. */
const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** What one request opted in to. */
export interface ModernAsk {
  /** `_meta` names a log level: the server may send `notifications/message` for it. */
  readonly logs: boolean;
  /** The request's client capabilities declare the tasks extension: it may be answered with a task. */
  readonly tasks: boolean;
}

/** Read what `params._meta` of a modern request opts in to. */
export function modernAsk(params: unknown): ModernAsk {
  const meta = isObj(params) && isObj(params._meta) ? params._meta : {};
  const caps = isObj(meta[CLIENT_CAPABILITIES]) ? meta[CLIENT_CAPABILITIES] : {};
  return { logs: typeof meta[LOG_LEVEL] === 'string', tasks: isObj(caps.extensions) && TASKS_EXTENSION in caps.extensions };
}

/**
 * 2026-07-28 schema RequestMetaObject `logLevel`: "If absent, the server MUST NOT send any
 * notifications/message notifications for this request." The detail of a log message sent
 * when no request of the connection set a level, else undefined. (A log cannot be tied to its
 * request over every transport, and one may cross its response; so only a connection where
 * no request ever opted in is judged.)
 */
export function unaskedLog(method: string, logsAsked: boolean): string | undefined {
  if (method !== 'notifications/message' || logsAsked) return undefined;
  return `a log message came, but no request set _meta ${LOG_LEVEL} (without it the server MUST NOT send notifications/message for the request)`;
}

/**
 * ext-tasks, capability negotiation: "A server MUST NOT return CreateTaskResult to a client
 * that did not include the extension capability on its request, regardless of prior
 * declarations." The detail when a task answers a request that did not declare it.
 */
export function unaskedTask(resultType: unknown, ask: ModernAsk | undefined, method: string): string | undefined {
  if (resultType !== 'task' || ask === undefined || ask.tasks) return undefined;
  return `${method} was answered with a task (resultType "task"), but the request's clientCapabilities do not declare the ${TASKS_EXTENSION} extension`;
}
