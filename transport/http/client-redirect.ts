/**
 * Following redirects for the HTTP client transport's undici path, as undici's own redirect
 * interceptor did (and as fetch does): the transport follows a 3xx only when one arrives,
 * rather than wrapping every request in a redirect handler.
 */
import type { OutboundRequest } from './client-exchange.ts';

/** How many redirects one request follows; the next 3xx is the reply. */
export const MAX_REDIRECTS = 20;

/** Redirect statuses that are followed when they carry a Location (undici's set). */
const FOLLOWED = new Set([300, 301, 302, 303, 307, 308]);

/** Headers that must not travel to another origin (Fetch standard, HTTP-redirect fetch). */
const CREDENTIALS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Where a request goes: its URL, and the request itself. */
export interface Hop {
  url: URL;
  request: OutboundRequest;
}

/** The URLs one request visited, to stop at a loop or after {@link MAX_REDIRECTS}. */
export interface RedirectTrail {
  readonly visited: Set<string>;
}

/** True when a reply with this status and Location is a redirect to follow. */
export function isFollowed(status: number, location: string | undefined): location is string {
  return location !== undefined && location !== '' && FOLLOWED.has(status);
}

/**
 * The request to send after a redirect, or undefined when the reply is to be handed over as
 * it is (too many redirects already). Throws on a loop or an unusable Location.
 */
export function nextHop(trail: RedirectTrail, from: Hop, status: number, location: string): Hop | undefined {
  trail.visited.add(from.url.href);
  if (trail.visited.size > MAX_REDIRECTS) return undefined;
  const url = new URL(location, from.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`refusing a redirect to ${url.protocol} (${location})`);
  url.hash = '';
  if (trail.visited.has(url.href)) throw new Error(`redirect loop detected: ${url.href} was already visited`);
  let { method, body } = from.request;
  // RFC 9110 15.4.2/15.4.3 and Fetch: a POST answered 301 or 302 becomes a GET; 15.4.4: after
  // 303 anything but HEAD becomes a GET, and its content headers go with the body.
  const see = status === 303;
  if ((method === 'POST' && (status === 301 || status === 302)) || see) {
    method = 'GET';
    body = undefined;
  }
  const crossOrigin = url.origin !== from.url.origin;
  const headers: Record<string, string> = {};
  for (const name in from.request.headers) {
    // The Host of the old URL is never right for the new one.
    if (name === 'host' || (see && name.startsWith('content-')) || (crossOrigin && CREDENTIALS.has(name))) continue;
    headers[name] = from.request.headers[name] as string;
  }
  return { url, request: body === undefined ? { method, headers } : { method, headers, body } };
}
