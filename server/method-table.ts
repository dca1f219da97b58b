/**
 * The era-neutral method table: one per server, filled once as features are added, read by
 * every connection (2025 era) and by stateless requests (2026 era). A handler is
 * `(params, req) => result`; nothing is registered per connection.
 */
import {
  ErrorCode, LocalErrorCode, McpError, RpcError,
  type ClientRequests, type ParamsOf, type ResultOf, type ServerCapabilities,
} from '../protocol/index.ts';
import { capabilityName, hasCapability, serverCapabilityFor } from '../protocol/capabilities.ts';
import type { ServerRequest } from './request.ts';

/** Methods a feature may serve: client requests other than the 2025 lifecycle ones. */
export type ServerMethod = Exclude<keyof ClientRequests & string, 'initialize' | 'ping' | 'logging/setLevel'>;

/** Serves one method in both eras. */
export type MethodHandler<M extends ServerMethod> = (
  params: ParamsOf<ClientRequests, M>, req: ServerRequest,
) => ResultOf<ClientRequests, M> | Promise<ResultOf<ClientRequests, M>>;

/** A handler as the table stores it (typed at {@link MethodTable.on}). */
export type AnyMethodHandler = (params: any, req: ServerRequest) => unknown;

/** A feature (tools, resources, prompts...): the capabilities it declares and the methods it serves. */
export interface ServerFeature {
  /** What it declares now (a feature may declare nothing until something is registered). */
  capabilities(): ServerCapabilities;
  /** Put its handlers in the server's table; called once, when the feature is added. */
  register(methods: MethodTable): void;
}

/**
 * The answer to a method whose capability the server did not declare to this client
 * (2025-11-25 basic/lifecycle: only negotiated capabilities; unknown features are "method
 * not found"). Takes anything with a `method`, so it serves a session's request context too.
 */
export function notDeclared(_params: unknown, req: { readonly method: string }): never {
  const path = serverCapabilityFor(req.method);
  const offer = path ? ` (the server does not offer ${capabilityName(path)})` : '';
  throw new RpcError(ErrorCode.MethodNotFound, `Method not found: ${req.method}${offer}`);
}

/** {@link notDeclared} when `declared` lacks the capability `method` needs, else undefined. */
export function capabilityGate(method: string, declared: ServerCapabilities): typeof notDeclared | undefined {
  const path = serverCapabilityFor(method);
  return path !== undefined && !hasCapability(declared, path) ? notDeclared : undefined;
}

/** Method name -> handler, shared by every request the server serves. */
export class MethodTable {
  readonly #handlers = new Map<string, AnyMethodHandler>();
  readonly #extensionMethods = new Set<string>();

  /** Serve `method` with `handler`; a method has one handler. */
  on<M extends ServerMethod>(method: M, handler: MethodHandler<M>): void {
    if (this.#handlers.has(method)) throw new McpError(LocalErrorCode.Validation, `${method} already has a handler`);
    this.#handlers.set(method, handler as AnyMethodHandler);
  }

  /**
   * Serve a method an extension defines (2026-07-28 basic/versioning, extension negotiation): outside the core method
   * maps, so its params are the handler's to check. Both eras serve it.
   */
  extend(method: string, handler: AnyMethodHandler): void {
    if (this.#handlers.has(method)) throw new McpError(LocalErrorCode.Validation, `${method} already has a handler`);
    this.#handlers.set(method, handler);
    this.#extensionMethods.add(method);
  }

  /** True for a method added by {@link extend} (the stateless era serves it beside its own). */
  isExtension(method: string): boolean {
    return this.#extensionMethods.has(method);
  }

  /**
   * The handler for `method` under the capabilities `declared` to this client: capability
   * gating first ({@link notDeclared}), then the lookup; undefined means "method not found".
   */
  route(method: string, declared: ServerCapabilities): AnyMethodHandler | undefined {
    return capabilityGate(method, declared) ?? this.#handlers.get(method);
  }

  /** Route and run: how a request built from any source (see request.ts) is served. */
  dispatch(params: unknown, req: ServerRequest, declared: ServerCapabilities): unknown {
    const handler = this.route(req.method, declared);
    if (!handler) throw new RpcError(ErrorCode.MethodNotFound, `Method not found: ${req.method}`);
    return handler(params, req);
  }
}
