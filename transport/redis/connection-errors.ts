/**
 * What a failed Redis command or connection says (connection.ts): a store error naming the
 * command, a script's failure naming its work, and why a first connection failed, for an
 * operator reading a 507 or a log line.
 */
import { ClientOfflineError, ErrorReply } from '@redis/client';
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import type { RedisScript } from './connection.ts';

/** MCP_ERR_STORE for a failed command or connection, `what` naming it ("Redis PING failed: ..."). */
export function storeError(what: string, error: unknown): McpError {
  // The Redis client's "The client is offline" read, in a 507 to an MCP client or an
  // operator's log, as if the MCP client were away: said as what it is.
  const detail = error instanceof ClientOfflineError ? 'the connection to Redis is down (reconnecting)' : error instanceof Error ? error.message : String(error);
  return new McpError(LocalErrorCode.Store, `Redis ${what} failed: ${detail}`, { cause: error });
}

/** Redis's text of an error inside a script ends with the script's SHA1 and line, which say nothing to whoever reads a 507. */
const SCRIPT_PLACE = /\.?\s*script: [0-9a-f]{40}, on @user_script:\d+\.?$/;

/**
 * The failure of `script` (an error of {@link Link.send}), naming the script's work, without
 * the script's SHA1 and line ("script: d800..., on @user_script:12"). Out of memory is said as
 * such, naming the write refused and the way out; Redis's own text stays the cause. A lost
 * connection is named too: "Redis EVALSHA failed: Socket closed unexpectedly" alone left an
 * operator guessing what had failed (scalewalk7), and so is what it works on when the caller
 * says (`about`: "Socket closed unexpectedly (the session renewal)" did not say which session).
 */
export function scriptError(script: RedisScript, error: unknown, about?: string): unknown {
  if (!(error instanceof McpError) || error.code !== LocalErrorCode.Store) return error;
  const cause = error.cause ?? error;
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (/^OOM\b/.test(detail)) {
    return new McpError(LocalErrorCode.Store, `Redis refused the ${script.what}${about === undefined ? '' : ` of ${about}`}: it is out of memory (OOM: its used memory is over maxmemory, and nothing is evicted to make room); free memory in Redis or raise its maxmemory`, { cause });
  }
  const message = error.message.replace(SCRIPT_PLACE, '');
  // A fenced script's own refusal names its work already ("MCPWIRE_LATE the append reached ...").
  const named = message.includes(`the ${script.what} `)
    ? (about === undefined ? message : `${message} (${about})`)
    : `${message} (the ${script.what}${about === undefined ? '' : ` of ${about}`})`;
  return named === error.message ? error : new McpError(LocalErrorCode.Store, named, { cause });
}

/** A refusal by Redis itself (a password needed or wrong, an ACL): trying again changes nothing. */
export function refusedByRedis(error: unknown): boolean {
  return error instanceof ErrorReply || /^(NOAUTH|WRONGPASS|NOPERM)\b/.test(String((error as Error | undefined)?.message));
}

/** Why the first connection failed, for an operator: the URL (password hidden) and what to change. */
export function connectFailure(shown: string, triedMs: number, error: unknown): McpError {
  const cause = (error as { socketError?: unknown } | undefined)?.socketError ?? error;
  const detail = cause instanceof Error ? cause.message : String(cause);
  const message = /\bLOADING\b/.test(detail)
    ? `Redis at ${shown} was still loading its data after ${triedMs} ms (it reads its AOF or RDB file at start and answers LOADING until done): start again once it has loaded (${detail})`
    : /^NOAUTH\b/.test(detail)
    ? `Redis at ${shown} needs a password: give it in the URL, redis://:PASSWORD@host:port (or redis://USER:PASSWORD@host:port for an ACL user) (${detail})`
    : refusedByRedis(cause)
      ? `Redis at ${shown} refused this client: ${detail}`
      : `cannot connect to Redis at ${shown} (tried for ${triedMs} ms): ${detail}`;
  return new McpError(LocalErrorCode.Store, message, { cause: error });
}

/** Redis refused a command because it is still reading its data at start. */
export function isLoading(error: unknown): boolean {
  const cause = error instanceof McpError ? error.cause : error;
  return cause instanceof ErrorReply && /^LOADING\b/.test(cause.message);
}
