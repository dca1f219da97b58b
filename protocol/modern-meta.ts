/** 2026-07-28 basic/index, `_meta`: the reserved keys of a stateless request and its result. */
export const MODERN_META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** The tasks extension's identifier (2026-07-28, SEP-2663): `capabilities.extensions` key of both sides. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/**
 * 2026-07-28 basic/transports/streamable-http (standard headers): the param each method's `Mcp-Name` header
 * mirrors. The tasks extension (SEP-2663 routing headers) adds the task id.
 */
const MCP_NAME_PARAM: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/**
 * The param `method`'s `Mcp-Name` header mirrors, if any. An own-property lookup: the method
 * comes off the wire, and `__proto__` or `constructor` must not find Object.prototype's members.
 */
export function mcpNameParam(method: string): string | undefined {
  return Object.hasOwn(MCP_NAME_PARAM, method) ? MCP_NAME_PARAM[method] : undefined;
}
