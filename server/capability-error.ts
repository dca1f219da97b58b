/**
 * One error for a handler whose request to the client needs a capability the client did not
 * declare, in both eras: `ctx.elicit()`, `sample()` and `listRoots()` reject with it (code
 * MCP_ERR_CAPABILITY), so one tool definition catches one class. Uncaught, each era's wire is
 * kept: a 2025 tool's call ends as its error result; a 2026-07-28 request is answered -32021
 * with `data.requiredCapabilities` (basic/index, error codes; basic/patterns/mrtr: never ask for
 * what the client did not declare).
 */
import { ErrorCode, LocalErrorCode, McpError, RpcError } from '../protocol/errors.ts';
import type { CapabilityPath } from '../protocol/capabilities.ts';

export class MissingCapabilityError extends McpError {
  override name = 'MissingCapabilityError';
  /** What the request needs, shaped as `ClientCapabilities`: `{ sampling: { tools: {} } }`. */
  readonly requiredCapabilities: Record<string, unknown>;

  constructor(message: string, path: CapabilityPath) {
    super(LocalErrorCode.Capability, message);
    this.requiredCapabilities = nested(path);
  }

  /** The 2026-07-28 wire error: -32021 naming what is missing. */
  toRpcError(): RpcError<{ requiredCapabilities: Record<string, unknown> }> {
    return new RpcError(ErrorCode.MissingRequiredClientCapability, this.message, { requiredCapabilities: this.requiredCapabilities });
  }
}

/** `['sampling', 'tools']` as `{ sampling: { tools: {} } }`. */
function nested(path: CapabilityPath): Record<string, unknown> {
  let shape: Record<string, unknown> = {};
  for (let i = path.length - 1; i >= 0; i--) shape = { [path[i] as string]: shape };
  return shape;
}
