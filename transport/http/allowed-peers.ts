/**
 * The Host and Origin values a server handler accepts (2025-11-25 basic/transports: servers
 * MUST validate Origin; the Host check stops a rebound name reaching a loopback server),
 * following where the handler is served: `listen` tells it the address it bound
 * ({@link BoundAddress}), so a handler made before a listen on port 0 still checks the real
 * port. An allowed host written with port 0 (`defaultAllowedHosts('127.0.0.1', 0)`) means
 * the port listened on; a handler given no `allowedHosts` accepts the names of the bound
 * address (`defaultAllowedHosts`) once it is told it, and no Host check before that (it may
 * be mounted under a server of yours: see createHostGuard).
 */
import type { InboundRequest, ServerReply } from './exchange.ts';
import { checkOrigin } from './server-guards.ts';
import { defaultAllowedHosts, isWildcardHost, type HttpServerOptions } from './server-options.ts';

/** Where a handler is served, as `listen` found it after binding. */
export interface BoundAddress {
  /** The bind address (`127.0.0.1`, `0.0.0.0`, `::`, a name). */
  readonly host: string;
  /** The port bound: the real one when 0 was asked for. */
  readonly port: number;
  /** This machine's addresses, accepted as Host when `host` binds every interface. */
  readonly machineAddresses?: readonly string[];
}

/** The check of one handler, and the hook that tells it where it listens. */
export interface AllowedPeers {
  /** A 403 reply when the request's Host or Origin is not allowed, else undefined. */
  check(request: InboundRequest): ServerReply | undefined;
  /** A listen bound `address`; the names of every listen still open are accepted. Returns its forgetting. */
  listeningOn(address: BoundAddress): () => void;
}

type PeerOptions = Pick<HttpServerOptions, 'allowedHosts' | 'allowedOrigins' | 'disableHostChecks'>;

const lowered = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));
const originsOf = (hosts: readonly string[]) => hosts.flatMap((h) => [`http://${h}`, `https://${h}`]);

/**
 * `value` when it is undefined or an array of strings, else a TypeError naming the option: a
 * single string (`allowedHosts: 'localhost'`) failed later as "values.map is not a function".
 */
export function hostListOption(name: string, value: unknown): readonly string[] | undefined {
  if (value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) return value;
  throw new TypeError(`${name} must be an array of strings, got ${JSON.stringify(value) ?? String(value)}`);
}

/** The allowed peers of a handler made with `options` (see the module comment). */
export function createAllowedPeers(options: PeerOptions): AllowedPeers {
  hostListOption('allowedHosts', options.allowedHosts);
  hostListOption('allowedOrigins', options.allowedOrigins);
  if (options.disableHostChecks) return { check: () => undefined, listeningOn: () => () => {} };
  const given = options.allowedHosts;
  let hosts = given ? lowered(given) : undefined;
  let origins = lowered(options.allowedOrigins ?? originsOf(given ?? []));
  /** The listens serving this handler now: one handler may be bound to several addresses at once. */
  const bound = new Set<BoundAddress>();
  /** Recompute the accepted names: each open listen's, or, with none open, those the handler was made with. */
  const follow = () => {
    const named = bound.size === 0 ? given : [...bound].flatMap((address) => given
      ? given.map((h) => h.replace(/:0$/, `:${address.port}`))
      : defaultAllowedHosts(address.host, address.port, isWildcardHost(address.host) ? address.machineAddresses ?? [] : []));
    hosts = named ? lowered(named) : undefined;
    origins = lowered(options.allowedOrigins ?? originsOf(named ?? []));
  };
  return {
    check: (request) => checkOrigin(request, hosts, origins),
    listeningOn(address) {
      // A copy: the same address object told twice is two listens.
      const entry = { ...address };
      bound.add(entry);
      follow();
      return () => {
        if (bound.delete(entry)) follow();
      };
    },
  };
}
