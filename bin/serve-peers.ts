/**
 * `mcpwire serve --http`'s `--allowed-hosts` and `--allowed-origins`, checked as given, and the
 * Host and Origin values the server accepts with them.
 */
import { defaultAllowedHosts, isWildcardHost, machineAddresses } from 'mcpwire/transport';
import { UsageError } from './args.ts';

/** A comma-separated flag value as a list (empty items dropped). */
function listOf(text: string | undefined): string[] {
  return (text ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** The `--allowed-origins` list, each checked to be an origin (scheme://host[:port]). */
export function originsOf(text: string | undefined): string[] {
  const origins = listOf(text);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/]+$/i.test(origin)) throw new UsageError(`--allowed-origins takes origins like https://app.example (scheme://host[:port]), got "${origin}"`);
  }
  return origins;
}

/**
 * The `--allowed-hosts` list, each checked to be a Host value (RFC 9110 §7.2: uri-host and an
 * optional port): a name or IPv4 address, a bracketed or bare IPv6 address. A value no client
 * can send ("a b", a URL) would be accepted and never match.
 */
export function hostsOf(text: string | undefined): string[] {
  const hosts = listOf(text);
  for (const host of hosts) {
    if (!/^(\[[0-9a-f:.]+\]|[0-9a-f]*:[0-9a-f:.]+|[a-z0-9._~-]+)(:\d{1,5})?$/i.test(host)) {
      throw new UsageError(`--allowed-hosts takes host names like api.example or api.example:8443, got "${host}"`);
    }
  }
  return hosts;
}

/** A Host value with a port: `name`, `[v6]` or a bare IPv6 address get `port`. */
function withPort(host: string, port: number): string {
  if (host.startsWith('[')) return host.includes(']:') ? host : `${host}:${port}`;
  const colons = host.split(':').length - 1;
  if (colons > 1) return `[${host}]:${port}`; // a bare IPv6 address
  return colons === 1 ? host : `${host}:${port}`;
}

/**
 * The Host and Origin values the server accepts (2025-11-25 basic/transports: DNS-rebinding
 * defence): those of the bind address, plus `--allowed-hosts` / `--allowed-origins`.
 */
export function allowedPeers(host: string, port: number, hostsFlag: string[], extraOrigins: string[]): { allowedHosts: string[]; allowedOrigins?: string[] } {
  const extraHosts = hostsFlag.map((h) => withPort(h.toLowerCase(), port));
  const allowedHosts = [...defaultAllowedHosts(host, port, isWildcardHost(host) ? machineAddresses() : []), ...extraHosts];
  if (extraOrigins.length === 0) return { allowedHosts };
  return { allowedHosts, allowedOrigins: [...allowedHosts.flatMap((h) => [`http://${h}`, `https://${h}`]), ...extraOrigins] };
}

/**
 * The ports the fetch standard blocks ("bad ports", fetch.spec.whatwg.org#port-blocking):
 * browsers and every fetch (Node's, so `mcpwire host`'s and the SDKs' on Node) refuse them
 * before connecting.
 */
const FETCH_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * A warning for a port fetch never connects to (`serve --http --port 6000` listened without a
 * word, and every host then said "cannot reach"). Not refused: curl, and clients that do not
 * keep the list, do connect, as a proxy in front may.
 */
export function blockedPortWarning(port: number): string | undefined {
  if (!FETCH_BLOCKED_PORTS.has(port)) return undefined;
  return `port ${port} is one the fetch standard blocks: browsers and fetch-based clients (Node's fetch, so mcpwire host and the SDKs on Node) never connect to it; curl and clients without that list do. Choose another --port for them`;
}
