/**
 * Where an issuer publishes its keys: its authorization server metadata (RFC 8414 §3, the
 * well-known suffix inserted before the issuer's path, then OpenID Connect Discovery's
 * appended form), whose `issuer` must be the one asked for (RFC 8414 §3.3).
 */
import { boundedText } from '../../protocol/bounded-text.ts';
import { AuthUnavailableError } from './errors.ts';

/** Default of `maxMetadataBytes` (jwt-verifier.ts): metadata documents larger than this are refused (bytes). */
const DEFAULT_MAX_METADATA_BYTES = 256 * 1024;

/** The metadata URLs of `issuer`, in the order they are tried. */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ].filter((u, i, all) => all.indexOf(u) === i);
}

/** The `jwks_uri` of `issuer`; rejects with AuthUnavailableError when it cannot be found. */
export async function discoverJwksUri(
  issuer: string, fetchFn: typeof fetch, timeoutMs: number, maxBytes = DEFAULT_MAX_METADATA_BYTES,
): Promise<string> {
  const failures: string[] = [];
  for (const url of metadataUrls(issuer)) {
    let response: Response;
    try {
      response = await fetchFn(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    } catch (error) {
      failures.push(`${url}: ${(error as Error).message}`);
      continue;
    }
    const text = response.ok ? await boundedText(response, maxBytes) : '';
    if (!response.ok || text === undefined) {
      await response.body?.cancel().catch(() => undefined);
      failures.push(`${url}: HTTP ${response.status}${text === undefined ? ` (larger than ${maxBytes} bytes: maxMetadataBytes)` : ''}`);
      continue;
    }
    let metadata: Record<string, unknown>;
    try {
      metadata = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new AuthUnavailableError(`authorization server metadata at ${url} is not JSON`, { cause: error });
    }
    if (metadata.issuer !== issuer) throw new AuthUnavailableError(`authorization server metadata at ${url} names issuer ${JSON.stringify(metadata.issuer)}, not ${issuer}`);
    if (typeof metadata.jwks_uri !== 'string') throw new AuthUnavailableError(`authorization server metadata at ${url} has no jwks_uri`);
    return metadata.jwks_uri;
  }
  throw new AuthUnavailableError(`no authorization server metadata for ${issuer}: ${failures.join('; ')}`);
}
