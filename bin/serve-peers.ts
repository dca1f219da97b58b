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
