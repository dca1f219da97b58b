/**
 * A caller's own `_meta` on a request (`callTool(..., { meta })`): checked before it is sent,
 * because the protocol keeps some keys for itself and the client sets those.
 */
import { LocalErrorCode, McpError } from '../protocol/index.ts';

/**
 * 2025-11-25 and 2026-07-28 basic/index (General fields: `_meta`): a key prefix whose second
 * label is `modelcontextprotocol` or `mcp` is reserved for MCP (`io.modelcontextprotocol/...`
 * is the 2026-07-28 envelope), but "`com.example.mcp/` is NOT reserved"; 2025-06-18 reserved
 * such a label followed by another (`tools.mcp.com/`), kept for older peers. `progressToken`
 * is the client's, set when `onProgress` is given.
 */
function reservedKey(key: string): boolean {
  if (key === 'progressToken') return true;
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const labels = key.slice(0, slash).split('.');
  return labels.some((label, i) => (label === 'modelcontextprotocol' || label === 'mcp') && (i === 1 || i < labels.length - 1));
}

/**
 * `meta` checked, or a copy of `params` with its keys added to `params._meta`. A key the
 * protocol reserves, or a `meta` that is not a plain object, fails with MCP_ERR_VALIDATION
 * naming the tool, before anything is sent. The tool's name, not a phrase: the phrase is
 * joined only for an error (it was joined for every call).
 */
export function withCallerMeta<P extends Record<string, unknown>>(params: P, meta: Record<string, unknown> | undefined, tool: string): P {
  if (meta === undefined) return params;
  const what = `tool ${tool}`;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new McpError(LocalErrorCode.Validation, `${what}: meta must be an object of _meta keys`);
  }
  const reserved = Object.keys(meta).filter(reservedKey);
  if (reserved.length > 0) {
    throw new McpError(LocalErrorCode.Validation,
      `${what}: meta key ${reserved.map((k) => JSON.stringify(k)).join(', ')} is reserved for the protocol (the client sets it; progress goes through onProgress)`);
  }
  return { ...params, _meta: { ...(params._meta as Record<string, unknown> | undefined), ...meta } };
}
