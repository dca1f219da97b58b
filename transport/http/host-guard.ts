/**
 * The handler's DNS-rebinding defence (2025-11-25 basic/transports: servers MUST validate
 * Origin; the Host check stops a rebound name reaching a loopback server), usable on its own
 * by people who mount the MCP handler under their own server, in front of other routes too.
 */
import type { InboundRequest } from './exchange.ts';
import { checkOrigin } from './server-guards.ts';
import { hostListOption } from './allowed-peers.ts';

/**
 * What `createHostGuard` allows: the DNS-rebinding defence of the MCP handler (2025-11-25
 * basic/transports: servers MUST validate Origin), for a route of your own beside it.
 */
export interface HostGuardOptions {
  /** Allowed `Host` header values (`defaultAllowedHosts(host, port)` gives the usual ones). */
  allowedHosts: readonly string[];
  /** Allowed `Origin` values. Default: the http(s) origins of `allowedHosts`. A request without Origin passes. */
  allowedOrigins?: readonly string[];
}

/** Why a request was refused: the status to answer (403) and a message. */
export interface HostGuardRefusal {
  /** The HTTP status to answer: 403. */
  status: number;
  /** Which header was refused and its value, for a log or a plain-text body. */
  message: string;
  /** The JSON-RPC error body the MCP handler itself would send. */
  body: string;
}

/** Request headers as Node (`req.headers`) or the fetch API (`Headers`) hold them. */
export type GuardHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A check of a request's Host and Origin headers: undefined when allowed, else the refusal. */
export function createHostGuard(options: HostGuardOptions): (headers: GuardHeaders) => HostGuardRefusal | undefined {
  if (hostListOption('allowedHosts', options?.allowedHosts) === undefined) throw new TypeError('createHostGuard: allowedHosts is required (defaultAllowedHosts(host, port) gives the usual ones)');
  hostListOption('allowedOrigins', options.allowedOrigins);
  const hosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const origins = new Set((options.allowedOrigins ?? options.allowedHosts.flatMap((h) => [`http://${h}`, `https://${h}`])).map((o) => o.toLowerCase()));
  return (headers) => {
    const header = (name: string): string | null => {
      if (headers instanceof Headers) return headers.get(name);
      const value = headers[name];
      return value === undefined ? null : typeof value === 'string' ? value : value.join(', ');
    };
    const view = { header } as Pick<InboundRequest, 'header'> as InboundRequest;
    const reply = checkOrigin(view, hosts, origins);
    if (!reply) return undefined;
    const body = reply.body ?? '';
    return { status: reply.status, message: (JSON.parse(body) as { error: { message: string } }).error.message, body };
  };
}
