import { isObject as isObj, type Obj } from './validate-schema-checks.ts';
/**
 * What a client's requests ask of the server's later messages, for the validator rules that hold
 * a server to it: in 2026-07-28, log messages only for a request that set a log level, and task
 * handles only for a request that declared the tasks extension; earlier, no log message below
 * the level `logging/setLevel` set.
 */

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

/** RFC 5424 severities, least severe first (2025-11-25 server/utilities/logging: log levels). */
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/**
 * 2025-11-25 schema SetLevelRequestParams `level`: "The server should send all logs at this level
 * and higher (i.e., more severe)" (a lowercase should; the logging page's flow: after setLevel
 * error, "Only sends error level and above"). The detail of a log below `minimum`, else undefined.
 */
export function logBelowLevel(params: unknown, minimum: string | undefined): string | undefined {
  const level = isObj(params) ? params.level : undefined;
  if (minimum === undefined || typeof level !== 'string' || !LEVELS.includes(level)) return undefined;
  if (LEVELS.indexOf(level) >= LEVELS.indexOf(minimum)) return undefined;
  return `a log message at ${level} came after logging/setLevel ${minimum} was acknowledged (only ${minimum} and more severe were asked for)`;
}

/** The level a `logging/setLevel` request asks for, if it is one. */
export function levelAsked(params: unknown): string | undefined {
  const level = isObj(params) ? params.level : undefined;
  return typeof level === 'string' && LEVELS.includes(level) ? level : undefined;
}
