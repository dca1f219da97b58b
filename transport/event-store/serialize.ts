/** JSON serialization of what the stores keep, failing as store errors (MCP_ERR_STORE). */
import { LocalErrorCode, McpError, type JsonRpcMessage } from '../../protocol/index.ts';

function stringify(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new McpError(LocalErrorCode.Store, `Cannot store ${what}: it is not JSON-serializable`, { cause: error });
  }
  if (typeof json !== 'string') throw new McpError(LocalErrorCode.Store, `Cannot store ${what}: it is not JSON-serializable`);
  return json;
}

/** Serialize a message for storage (a copy: later changes to the object do not reach it). */
export function serializeMessage(message: JsonRpcMessage): string {
  return stringify(message, 'a message');
}

/** Serialize session metadata for storage. */
export function serializeMeta(meta: Record<string, unknown>): string {
  return stringify(meta, 'session metadata');
}
