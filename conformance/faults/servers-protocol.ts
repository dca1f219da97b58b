/**
 * Deliberately broken servers, JSON-RPC and protocol defects (servers.ts holds the transport
 * ones): each wraps the correct endpoint and breaks one rule no schema states, so
 * `mcpwire check` can be shown to report it with exactly that rule id. Test-only.
 */
import { mapResponseMessages } from '../check/rewrite.ts';
import { legacy, type Fault } from './servers.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The error code a message carries, if it is an error response. */
function errorCode(m: Obj): unknown {
  return (m.error as { code?: unknown } | undefined)?.code;
}

/** Every legacy message passed through `map`; modern traffic untouched. */
function mapLegacy(map: (m: Obj) => Obj | Obj[]): Fault['wrap'] {
  return (inner) => async (r) => {
    const response = await inner(r);
    return legacy(r) ? mapResponseMessages(response, map) : response;
  };
}

/** Every message of either era passed through `map`. */
function mapEither(map: (m: Obj) => Obj): Fault['wrap'] {
  return (inner) => async (r) => mapResponseMessages(await inner(r), map);
}

/** The JSON-RPC body of a POST (undefined for other requests or bodies). */
async function bodyOf(request: Request): Promise<Obj | undefined> {
  if (request.method !== 'POST') return undefined;
  try {
    return JSON.parse(await request.clone().text()) as Obj;
  } catch {
    return undefined;
  }
}

/** The JSON-RPC method of a POST body. */
async function methodOf(request: Request): Promise<unknown> {
  return (await bodyOf(request))?.method;
}

/** The protocol defects, one each. */
export const PROTOCOL_FAULTS: readonly Fault[] = [
  {
    name: 'unknown-method-result', defect: 'a method the server does not have is answered with an empty result', expect: 'jsonrpc.method-not-found',
    wrap: mapLegacy((m) => (errorCode(m) === -32601 ? { jsonrpc: '2.0', id: m.id, result: {} } : m)),
  },
  {
    name: 'unknown-method-wrong-code', defect: 'a method the server does not have gets -32603 (internal error), not -32601', expect: 'jsonrpc.method-not-found',
    wrap: mapLegacy((m) => (errorCode(m) === -32601 ? { ...m, error: { code: -32603, message: 'Internal error' } } : m)),
  },
  {
    // A server that parses ids as numbers: "1001" comes back 1001.
    name: 'string-id-as-number', defect: 'a string id made of digits is answered as a number', expect: 'jsonrpc.response-correlation',
    wrap: (inner) => async (r) => {
      const id = (await bodyOf(r))?.id; // before the handler reads the body
      const response = await inner(r);
      if (!legacy(r) || typeof id !== 'string' || !/^\d+$/.test(id)) return response;
      return mapResponseMessages(response, (m) => (m.id === id ? { ...m, id: Number(id) } : m));
    },
  },
  {
    name: 'version-echoed', defect: 'initialize is answered with whatever version the client asked for', expect: 'lifecycle.version',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r); // before the handler reads the body
      const response = await inner(r);
      const asked = body?.method === 'initialize' ? (body.params as Obj | undefined)?.protocolVersion : undefined;
      if (typeof asked !== 'string') return response;
      return mapResponseMessages(response, (m) => (m.id === body!.id && typeof m.result === 'object' ? { ...m, result: { ...(m.result as Obj), protocolVersion: asked } } : m));
    },
  },
  {
    // Both eras: the same failure, in the same words, is a finding per era (session 31).
    name: 'duplicate-tool-names', defect: 'tools/list lists the echo tool twice, in both eras', expect: 'tools.unique-names',
    wrap: mapEither((m) => {
      const tools = (m.result as { tools?: Obj[] } | undefined)?.tools;
      const echo = tools?.find((t) => t.name === 'echo');
      return echo === undefined ? m : { ...m, result: { ...(m.result as Obj), tools: [...tools!, { ...echo, description: 'Echo, again.' }] } };
    }),
  },
  {
    name: 'structured-without-text', defect: 'structuredContent is returned with an empty content list', expect: 'tools.structured-text',
    wrap: mapLegacy((m) => {
      const result = m.result as Obj | undefined;
      return result?.structuredContent === undefined ? m : { ...m, result: { ...result, content: [] } };
    }),
  },
  {
    name: 'unknown-tool-result', defect: 'tools/call of an unknown tool is answered with an isError result', expect: 'tools.unknown-tool',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r); // before the handler reads the body
      const response = await inner(r);
      if (!legacy(r) || body?.method !== 'tools/call') return response;
      return mapResponseMessages(response, (m) => (m.id === body.id && m.error !== undefined ? { jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: (m.error as Obj).message }], isError: true } } : m));
    },
  },
  {
    name: 'unknown-resource-internal-error', defect: 'resources/read of an unknown URI gets -32603 (internal error)', expect: 'resources.unknown-uri',
    wrap: mapLegacy((m) => (errorCode(m) === -32002 ? { ...m, error: { code: -32603, message: 'Internal error' } } : m)),
  },
  {
    name: 'modern-session-header', defect: '2026-07-28 responses carry an Mcp-Session-Id header', expect: 'modern.no-session',
    wrap: (inner) => async (r) => {
      const method = await methodOf(r); // before the handler reads the body
      const response = await inner(r);
      if (legacy(r) || r.method !== 'POST' || method === 'initialize') return response;
      const headers = new Headers(response.headers);
      headers.set('mcp-session-id', 'modern-session-1');
      return new Response(response.body, { status: response.status, headers });
    },
  },
  {
    name: 'list-changed-undeclared', defect: 'tools/list_changed is sent on a call\'s stream although tools.listChanged is not declared', expect: 'capability.gating',
    wrap: (inner) => async (r) => {
      const method = await methodOf(r); // before the handler reads the body
      const response = await inner(r);
      if (!legacy(r) && method !== 'initialize') return response;
      const sse = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
      let told = false;
      return mapResponseMessages(response, (m) => {
        const result = m.result as Obj | undefined;
        const caps = result?.capabilities as Obj | undefined;
        if (typeof result?.protocolVersion === 'string' && caps !== undefined) return { ...m, result: { ...result, capabilities: { ...caps, tools: {} } } };
        if (!sse || told || m.method !== 'notifications/progress') return m;
        told = true; // once per stream, after its first progress (which keeps the SSE event id)
        return [m, { jsonrpc: '2.0', method: 'notifications/tools/list_changed' }];
      });
    },
  },
  {
    name: 'asks-undeclared', defect: 'elicitation, sampling and roots requests are sent whatever capabilities the client declared', expect: 'capability.client-gating',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (body?.method !== 'initialize' || !isObj(body.params)) return inner(r);
      // The server is told every client capability, whatever the client said.
      const params = { ...body.params, capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} } };
      return inner(new Request(r, { body: JSON.stringify({ ...body, params }) }));
    },
  },
  {
    name: 'url-to-form-client', defect: 'URL-mode elicitation is sent to a client that declared elicitation in form mode only (both eras)', expect: 'capability.elicitation-mode', urlTool: true,
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (!isObj(body) || !isObj(body.params)) return inner(r);
      // A client declaring elicitation at all is taken to support every mode (an empty object is
      // form only): at initialize (legacy), in each request's _meta clientCapabilities (2026-07-28).
      const all = { form: {}, url: {} };
      if (body.method === 'initialize' && isObj(body.params.capabilities) && body.params.capabilities.elicitation !== undefined) {
        const params = { ...body.params, capabilities: { ...body.params.capabilities, elicitation: all } };
        return inner(new Request(r, { body: JSON.stringify({ ...body, params }) }));
      }
      const meta = body.params._meta;
      const caps = isObj(meta) ? meta['io.modelcontextprotocol/clientCapabilities'] : undefined;
      if (legacy(r) || !isObj(meta) || !isObj(caps) || caps.elicitation === undefined) return inner(r);
      const params = { ...body.params, _meta: { ...meta, 'io.modelcontextprotocol/clientCapabilities': { ...caps, elicitation: all } } };
      return inner(new Request(r, { body: JSON.stringify({ ...body, params }) }));
    },
  },
  {
    name: 'sampling-tools-ungated', defect: 'tools are offered in sampling to a client that declared sampling without sampling.tools (both eras)', expect: 'capability.sampling-tools', samplingTool: true,
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (!isObj(body) || !isObj(body.params)) return inner(r);
      // A client declaring sampling at all is taken to take tools: at initialize (legacy), in
      // each request's _meta clientCapabilities (2026-07-28).
      const widen = (caps: Obj) => (isObj(caps.sampling) ? { ...caps, sampling: { ...caps.sampling, tools: {} } } : caps);
      if (body.method === 'initialize' && isObj(body.params.capabilities)) {
        return inner(new Request(r, { body: JSON.stringify({ ...body, params: { ...body.params, capabilities: widen(body.params.capabilities) } }) }));
      }
      const meta = body.params._meta;
      const caps = isObj(meta) ? meta['io.modelcontextprotocol/clientCapabilities'] : undefined;
      if (legacy(r) || !isObj(meta) || !isObj(caps)) return inner(r);
      const params = { ...body.params, _meta: { ...meta, 'io.modelcontextprotocol/clientCapabilities': widen(caps) } };
      return inner(new Request(r, { body: JSON.stringify({ ...body, params }) }));
    },
  },
  {
    // A server that, after the model's toolUse, sends the history with a text summary of the
    // tools' output where the tool results belong: in a legacy sampling request, or in a modern
    // InputRequiredResult's input requests.
    name: 'sampling-tool-results-as-text', defect: 'the sampling request after a stopReason toolUse answers the tool_use with a text message, not tool_result blocks (both eras)', expect: 'sampling.tool-results', samplingTool: true,
    wrap: mapEither((m) => {
      const asText = (request: unknown): unknown => {
        if (!isObj(request) || request.method !== 'sampling/createMessage' || !isObj(request.params) || !Array.isArray(request.params.messages)) return request;
        const messages = request.params.messages.map((msg: unknown) => (isObj(msg) && Array.isArray(msg.content) && msg.content.some((c) => isObj(c) && c.type === 'tool_result')
          ? { ...msg, content: { type: 'text', text: 'the tool said: note 1' } } : msg));
        return { ...request, params: { ...request.params, messages } };
      };
      if (isObj(m.result) && isObj(m.result.inputRequests)) {
        return { ...m, result: { ...m.result, inputRequests: Object.fromEntries(Object.entries(m.result.inputRequests).map(([k, v]) => [k, asText(v)])) } };
      }
      return asText(m) as Obj;
    }),
  },
  {
    name: 'cursor-refused', defect: 'tools/list hands out a nextCursor the server then refuses', expect: 'pagination.cursor',
    wrap: (inner) => async (r) => {
      const method = await methodOf(r); // before the handler reads the body
      const response = await inner(r);
      if (!legacy(r) || method !== 'tools/list') return response;
      return mapResponseMessages(response, (m) => (isObj(m.result) ? { ...m, result: { ...m.result, nextCursor: 'fault-page-2' } } : m));
    },
  },
  {
    name: 'cursor-loops', defect: 'tools/list pages forever: every page, the first again, gives the same nextCursor', expect: 'pagination.cursor',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (!legacy(r) || body?.method !== 'tools/list') return inner(r);
      const { cursor: _ignored, ...params } = (isObj(body.params) ? body.params : {}) as Obj;
      const response = await inner(new Request(r, { body: JSON.stringify({ ...body, params }) }));
      return mapResponseMessages(response, (m) => (isObj(m.result) ? { ...m, result: { ...m.result, nextCursor: 'fault-page-2' } } : m));
    },
  },
  {
    name: 'modern-unknown-200', defect: 'a 2026-07-28 request for an unknown method gets its -32601 with HTTP 200, not 404', expect: 'modern.unknown-method',
    wrap: (inner) => async (r) => {
      const method = await methodOf(r); // before the handler reads the body
      const response = await inner(r);
      // Removed methods keep their 404: only the unknown one is changed.
      if (legacy(r) || response.status !== 404 || method !== 'mcpwire/unknown') return response;
      return new Response(response.body, { status: 200, headers: response.headers });
    },
  },
  {
    // A server not yet moved to SEP-2164: the 2025-11-25 code in the 2026-07-28 era.
    name: 'modern-resource-32002', defect: 'a 2026-07-28 resources/read of an unknown URI still gets -32002', expect: 'resources.not-found',
    wrap: (inner) => async (r) => {
      const method = await methodOf(r); // before the handler reads the body
      const response = await inner(r);
      if (legacy(r) || method !== 'resources/read') return response;
      return mapResponseMessages(response, (m) => (errorCode(m) === -32602 ? { ...m, error: { ...(m.error as Obj), code: -32002 } } : m));
    },
  },
  {
    // A server that keeps tokens as strings: the number 5 comes back as "5", another token.
    name: 'progress-token-retyped', defect: 'progress notifications name a numeric progressToken as a string', expect: 'progress.token',
    wrap: mapLegacy((m) => {
      const params = m.params as Obj | undefined;
      return m.method === 'notifications/progress' && typeof params?.progressToken === 'number' ? { ...m, params: { ...params, progressToken: String(params.progressToken) } } : m;
    }),
  },
  {
    name: 'error-without-message', defect: 'error responses carry a code but no message', expect: 'schema.message',
    wrap: mapLegacy((m) => (m.error === undefined ? m : { ...m, error: { code: errorCode(m) } })),
  },
  {
    // Typical of a serializer that writes every field (a struct without omitempty).
    name: 'result-with-error-null', defect: 'a result response also carries "error": null', expect: 'jsonrpc.result-xor-error',
    wrap: (inner) => async (r) => {
      const method = await methodOf(r); // before the handler reads the body
      const response = await inner(r);
      if (!legacy(r) || method !== 'logging/setLevel') return response;
      return mapResponseMessages(response, (m) => ('result' in m ? { ...m, error: null } : m));
    },
  },
  {
    // A server that never wires notifications/cancelled to the running handler.
    name: 'late-answer-after-cancel', defect: 'a tool call cancelled while it runs still gets its response', expect: 'cancellation.no-response', slowTool: true,
    wrap: (inner) => async (r) => (legacy(r) && (await methodOf(r)) === 'notifications/cancelled' ? new Response(null, { status: 202 }) : inner(r)),
  },
  {
    // `if (!notification.params.requestId) return` (typescript-sdk PR #2654): a cancel naming the id 0 is dropped.
    name: 'ignores-cancel-zero', defect: 'notifications/cancelled naming the id 0 is accepted but ignored: that call runs on and is answered', expect: 'cancellation.no-response', slowTool: true,
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      return legacy(r) && body?.method === 'notifications/cancelled' && isObj(body.params) && body.params.requestId === 0 ? new Response(null, { status: 202 }) : inner(r);
    },
  },
  {
    // `if (!msg.id)`: the integer id 0 reads as no id, so the request is handled as a notification (202, no body).
    name: 'zero-id-as-notification', defect: 'a request with the id 0 is taken for a notification and never answered', expect: 'jsonrpc.zero-id',
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (!legacy(r) || body?.id !== 0) return inner(r);
      const { id: _zero, ...notification } = body;
      return inner(new Request(r, { body: JSON.stringify(notification) }));
    },
  },
  {
    name: 'ping-refused', defect: 'ping is answered with an error', expect: 'ping.answer',
    wrap: (inner) => async (r) => {
      const method = await methodOf(r); // before the handler reads the body
      const response = await inner(r);
      if (!legacy(r) || method !== 'ping') return response;
      return mapResponseMessages(response, (m) => ('result' in m ? { jsonrpc: '2.0', id: m.id, error: { code: -32603, message: 'ping is not supported' } } : m));
    },
  },
  {
    // A server that acknowledges logging/setLevel but keeps its own level (quarkus-mcp-server #910: an unconditional debug log).
    name: 'ignores-set-level', defect: 'logging/setLevel is acknowledged, but info logs still come after setLevel emergency', expect: 'logging.level', noisyTool: true,
    wrap: (inner) => async (r) => {
      const body = await bodyOf(r);
      if (!legacy(r) || body?.method !== 'logging/setLevel' || !isObj(body.params)) return inner(r);
      return inner(new Request(r, { body: JSON.stringify({ ...body, params: { ...body.params, level: 'debug' } }) }));
    },
  },
];
