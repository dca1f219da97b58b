/**
 * Request checks of the Streamable HTTP server: DNS-rebinding defence, content
 * negotiation and the body size limit (2025-11-25 basic/transports).
 */
import { ErrorCode, type RequestId } from '../../protocol/index.ts';

/** A JSON response carrying a JSON-RPC error (id-less unless given), as the spec allows for HTTP errors. */
export function errorResponse(status: number, message: string, code: number = ErrorCode.InvalidRequest, id?: RequestId, headers?: Record<string, string>): Response {
  const body = id === undefined ? { jsonrpc: '2.0', error: { code, message } } : { jsonrpc: '2.0', id, error: { code, message } };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * 2025-11-25 basic/transports: servers MUST validate Origin; an invalid one gets 403. The Host
 * check stops a rebound name reaching a loopback server.
 */
export function checkOrigin(request: Request, allowedHosts: ReadonlySet<string> | undefined, allowedOrigins: ReadonlySet<string> | undefined): Response | undefined {
  if (allowedHosts) {
    const host = request.headers.get('host');
    if (host === null || !allowedHosts.has(host.toLowerCase())) return errorResponse(403, `Forbidden: Host ${JSON.stringify(host)} is not allowed`);
  }
  const origin = request.headers.get('origin');
  if (origin !== null && allowedOrigins && !allowedOrigins.has(origin.toLowerCase())) {
    return errorResponse(403, `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`);
  }
  return undefined;
}

/** Media types listed in an Accept header, lower-cased, parameters dropped. */
function acceptedTypes(request: Request): string[] {
  return (request.headers.get('accept') ?? '').split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
}

/** 2025-11-25 basic/transports: a POST MUST accept both JSON and SSE (406 otherwise). */
export function checkPostHeaders(request: Request): Response | undefined {
  const accept = acceptedTypes(request);
  const any = accept.includes('*/*');
  if (!any && (!accept.includes('application/json') || !accept.includes('text/event-stream'))) {
    return errorResponse(406, 'Not Acceptable: the Accept header must list application/json and text/event-stream');
  }
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return errorResponse(415, 'Unsupported Media Type: Content-Type must be application/json');
  return undefined;
}

/** A GET must accept SSE (406 otherwise). */
export function checkGetHeaders(request: Request): Response | undefined {
  const accept = acceptedTypes(request);
  if (!accept.includes('text/event-stream') && !accept.includes('*/*')) {
    return errorResponse(406, 'Not Acceptable: the Accept header must list text/event-stream');
  }
  return undefined;
}

/** Read the body as text within `maxBytes`; a Response (413) when it is larger. */
export async function readBody(request: Request, maxBytes: number): Promise<string | Response> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) return errorResponse(413, `Payload Too Large: the body exceeds ${maxBytes} bytes`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return errorResponse(413, `Payload Too Large: the body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
