/**
 * Deliberately broken servers, 2026-07-28 `Mcp-Param-{Name}` defects (basic/transports/
 * streamable-http: custom headers from tool parameters), part of MODERN_FAULTS (servers-modern.ts):
 * each wraps the correct endpoint, whose `paramTool` tools mark arguments with `x-mcp-header`,
 * and breaks one rule. Test-only.
 */
import { legacy, withHeaders, type Fault } from './servers.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The JSON-RPC body of a POST (undefined for other requests or bodies). */
async function callOf(request: Request): Promise<Obj | undefined> {
  if (request.method !== 'POST') return undefined;
  const body: unknown = await request.clone().json().catch(() => undefined);
  return isObj(body) ? body : undefined;
}

/** `value` as a header value: as is when visible ASCII, else the 2026-07-28 base64 sentinel form. */
function headerValue(value: string): string {
  if (/^([\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?)?$/.test(value)) return value;
  return `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A modern tools/call of `tool` with `header` rewritten from the argument `pick` reads: what a server that never compares them sees. */
function headerFromBody(tool: string, header: string, pick: (args: Obj) => unknown): Fault['wrap'] {
  return (inner) => async (r) => {
    const body = await callOf(r);
    const params = body?.method === 'tools/call' && isObj(body.params) && body.params.name === tool ? body.params : undefined;
    if (legacy(r) || params === undefined) return inner(r);
    const value = pick(isObj(params.arguments) ? params.arguments : {});
    return inner(withHeaders(r, (h) => {
      h.delete(header);
      if (typeof value === 'string') h.set(header, headerValue(value));
    }));
  };
}

/** A modern request with a Mcp-Param-* header in the =?base64?...?= form refused as a mismatch: what a server that never decodes it answers. */
const refuseEncoded: Fault['wrap'] = (inner) => async (r) => {
  const encoded = legacy(r) ? undefined : [...r.headers].find(([name, value]) => name.startsWith('mcp-param-') && /^=\?base64\?.*\?=$/.test(value));
  if (encoded === undefined) return inner(r);
  const id = (await callOf(r))?.id ?? null;
  return Response.json({ jsonrpc: '2.0', id, error: { code: -32020, message: `Header mismatch: ${encoded[0]} does not match the body` } }, { status: 400 });
};

/** The Mcp-Param-* defects, one each. */
export const HEADER_FAULTS: readonly Fault[] = [
  {
    // A server that takes every argument from the body and never compares the Mcp-Param-* headers
    // with it: here the header is rewritten from the body before the (checking) server sees it.
    name: 'param-headers-unchecked', defect: 'a 2026-07-28 tools/call is served whatever its Mcp-Param-Region header says: another value, or none, is not refused', expect: 'modern.param-headers', paramTool: true,
    wrap: headerFromBody('where', 'mcp-param-region', (args) => args.region),
  },
  {
    name: 'param-headers-nested-unchecked', defect: 'x-mcp-header marks are read on top-level properties only: the Mcp-Param-Zone header of the nested target.zone is never compared', expect: 'modern.param-headers', paramTool: true,
    wrap: headerFromBody('route', 'mcp-param-zone', (args) => (isObj(args.target) ? args.target.zone : undefined)),
  },
  {
    // A server that reads a raw Mcp-Param-* header as text (Node gives its bytes as latin-1) and
    // compares that with the body: here a value with a character outside visible ASCII, space and
    // tab is re-encoded as =?base64?...?= before the (checking) server sees it, so it matches.
    name: 'param-header-chars-unchecked', defect: 'a 2026-07-28 Mcp-Param-* header holding a raw non-ASCII byte is read as text and compared, not refused as an invalid character', expect: 'modern.param-header-chars', paramTool: true,
    wrap: (inner) => (r) => inner(legacy(r) ? r : withHeaders(r, (h) => {
      for (const [name, value] of [...h]) if (name.startsWith('mcp-param-') && !/^[\t\x20-\x7e]*$/.test(value)) h.set(name, headerValue(value));
    })),
  },
  {
    // A server that skips a Mcp-Param-* header it cannot read (a character outside visible ASCII,
    // space and tab) instead of refusing it: here such a header is rewritten from the body before
    // the (checking) server sees it. Its marks are enums only, so the probe appends the byte to a
    // valid value (Session 32).
    name: 'param-header-chars-ignored', defect: 'a 2026-07-28 Mcp-Param-* header holding a raw non-ASCII byte is skipped, not refused: the call is served on the body alone', expect: 'modern.param-header-chars', paramTool: 'enums',
    wrap: (inner) => async (r) => {
      const bad = legacy(r) ? [] : [...r.headers].filter(([name, value]) => name.startsWith('mcp-param-') && !/^[\t\x20-\x7e]*$/.test(value));
      if (bad.length === 0) return inner(r);
      const params = (await callOf(r))?.params;
      const args = isObj(params) && isObj(params.arguments) ? params.arguments : {};
      const fromBody: Record<string, unknown> = { 'mcp-param-region': args.region, 'mcp-param-zone': isObj(args.target) ? args.target.zone : undefined };
      return inner(withHeaders(r, (h) => {
        for (const [name] of bad) {
          const value = fromBody[name];
          if (typeof value === 'string') h.set(name, headerValue(value));
        }
      }));
    },
  },
  {
    // A server that compares the raw Mcp-Param-* header with the body, never decoding the
    // =?base64?...?= form: every encoded value is a mismatch to it.
    name: 'param-header-base64-undecoded', defect: 'a 2026-07-28 Mcp-Param-* header in the =?base64?...?= form is compared undecoded, so a non-ASCII argument sent as a client must is refused with -32020', expect: 'modern.param-header-base64', paramTool: true,
    wrap: refuseEncoded,
  },
  {
    // The same server with marks on enums only: the probe sends a valid ASCII value in the
    // =?base64?...?= form, which still decodes to the body's value (Session 32).
    name: 'param-header-base64-undecoded-enums', defect: 'a 2026-07-28 Mcp-Param-* header in the =?base64?...?= form is compared undecoded (marks on enums only): an enum value in that form is refused with -32020', expect: 'modern.param-header-base64', paramTool: 'enums',
    wrap: refuseEncoded,
  },
];
