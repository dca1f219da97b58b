/**
 * The protected resource metadata document (RFC 9728 §2-3; 2025-11-25 basic/authorization:
 * MCP servers MUST publish it), served at the path-inserted well-known URL of the resource
 * and, for clients that only try the root, at the root well-known URL too.
 */
import { jsonReply, type InboundRequest, type ServerReply } from '../../transport/http/exchange.ts';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The fields of the document this server publishes. */
export interface ResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  bearer_methods_supported: string[];
  resource_name?: string;
  resource_documentation?: string;
  dpop_signing_alg_values_supported?: string[];
  dpop_bound_access_tokens_required?: boolean;
}

/** RFC 9728 §3.1: the metadata URL of `resource`, the well-known suffix inserted before its path. */
export function metadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${WELL_KNOWN}${path}`;
}

/** The paths the document is served at. */
export function metadataPaths(resource: string): string[] {
  const path = new URL(metadataUrl(resource)).pathname;
  return path === WELL_KNOWN ? [WELL_KNOWN] : [path, WELL_KNOWN];
}

/** A handler answering GET (and CORS preflight) on the metadata paths; undefined elsewhere. */
export function metadataHandler(document: ResourceMetadata): (request: InboundRequest) => ServerReply | undefined {
  const paths = new Set(metadataPaths(document.resource));
  const body = JSON.stringify(document);
  // Public metadata: browser-based clients read it across origins.
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS' };
  return (request) => {
    if (!paths.has(request.path)) return undefined;
    if (request.method === 'OPTIONS') return { status: 204, headers: cors };
    if (request.method !== 'GET' && request.method !== 'HEAD') return jsonReply(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD, OPTIONS' });
    return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300', ...cors }, body };
  };
}
