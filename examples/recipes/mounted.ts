/**
 * What every recipe returns: the MCP endpoint's URL and a way to stop serving. The recipes
 * show how to mount an mcpwire HTTP handler in a web framework you already run; they are
 * documentation with tests, not part of the built package (the frameworks are
 * devDependencies only).
 */
export interface Mounted {
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string;
  /** Stop listening (the MCP handler is closed by its owner). */
  close(): Promise<void>;
}

/** Where a recipe listens. Port 0 picks a free port. */
export interface MountOptions {
  host?: string;
  port?: number;
}

export const mountDefaults = { host: '127.0.0.1', port: 3000 };

/** The endpoint URL of a server bound to `host:port`. */
export function endpoint(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`;
}
