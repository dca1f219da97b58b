/**
 * Extensions a server declares (2026-07-28 basic/versioning, extension negotiation; SEP-2133): each one appears in
 * `capabilities.extensions` under its identifier with its settings object inline (an empty
 * object: supported, no optional features), and may bring methods of its own. The tasks and
 * skills extensions are declared this way; so can an application's own.
 */
import { LocalErrorCode, McpError, type ServerCapabilities } from '../protocol/index.ts';
import type { MethodTable, ServerFeature } from './method-table.ts';

/** `vendor-prefix/name`: a reverse-DNS prefix, a slash, a name (2026-07-28 basic/versioning, extension negotiation). */
const EXTENSION_ID = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\/[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** What an extension adds to a server: its methods, and the capabilities it needs beside its own. */
export interface ExtensionParts {
  /** Put the extension's handlers in the table (use `methods.extend` for its own methods). */
  register?(methods: MethodTable): void;
  /** Capabilities beside the extension's own entry (e.g. skills needs `resources`). */
  capabilities?(): ServerCapabilities;
}

/**
 * The feature that declares extension `id` with `settings` (read each time capabilities are
 * built, so settings may change) and serves its methods. Throws MCP_ERR_VALIDATION for an
 * identifier without a reverse-DNS prefix or settings that are not an object.
 */
export function extensionFeature(id: string, settings: object | (() => object), parts: ExtensionParts = {}): ServerFeature {
  if (typeof id !== 'string' || !EXTENSION_ID.test(id)) {
    throw new McpError(LocalErrorCode.Validation, `invalid extension identifier ${JSON.stringify(id)}: use a reverse-DNS prefix, a slash and a name (e.g. com.example/my-extension)`);
  }
  const read = typeof settings === 'function' ? settings : () => settings;
  const check = (value: unknown): object => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new McpError(LocalErrorCode.Validation, `extension ${id}: settings must be an object ({} for none)`);
    return value;
  };
  check(read());
  return {
    capabilities: () => ({ ...parts.capabilities?.(), extensions: { [id]: check(read()) } }) as ServerCapabilities,
    register: (methods) => parts.register?.(methods),
  };
}
