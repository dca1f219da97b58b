/**
 * Deliberately broken servers: mcpwire's demo server behind a fetch wrapper that injects
 * exactly one defect each, so `mcpwire check` can be shown to find it with the right rule id.
 * Test-only: never used by the library.
 */
import { createServer, createMcpHttpHandler, serveSkills, type McpHttpHandler } from 'mcpwire/server';
import { createMemoryTaskStore, listen, type ListeningServer } from 'mcpwire/transport';
import { registerDemoTools } from 'mcpwire/examples';
import type { RuleId } from '../check/catalog.ts';
import { mapResponseMessages } from '../check/rewrite.ts';
import { registerProbeTools } from './probe-tools.ts';
import type { Obj } from '../validate-schema-checks.ts';

type Fetch = (request: Request) => Promise<Response>;

/** One seeded defect and the rule that must catch it. */
export interface Fault {
  readonly name: string;
  /** What is broken, in one line. */
  readonly defect: string;
  /** The one rule id `mcpwire check` must fail (and no other MUST/SHOULD rule). */
  readonly expect: RuleId;
  /** The broken endpoint around the correct one. */
  wrap(inner: Fetch): Fetch;
  /** Extra tools the defect needs. */
  readonly noisyTool?: boolean;
  /** A tool that asks for URL-mode elicitation (the server refuses it to a client without the url mode). */
  readonly urlTool?: boolean;
  /**
   * A tool whose argument `region` is mirrored in the Mcp-Param-Region header (x-mcp-header; the
   * server checks it), one whose nested `target.zone` is mirrored in Mcp-Param-Zone, and (unless
   * `'enums'`: marks on enums only, as tools in practice have) `note`, a marked free-text argument.
   */
  readonly paramTool?: boolean | 'enums';
  /** A tool that asks the client's model, offering it a tool when the client declared sampling.tools; the clean server has it too. */
  readonly samplingTool?: boolean;
  /** A tool that asks twice (two input rounds in 2026-07-28); the clean server has it too. */
  readonly twoRoundTool?: boolean;
  /** A tool that runs a while after its first progress (for the cancellation probe); the clean server has it too. */
  readonly slowTool?: boolean;
  /** One skill served (the skills extension, SEP-2640); the clean server has it too. */
  readonly skills?: boolean;
}

/** The skill served when a fault asks for skills: a SKILL.md with its frontmatter, and one file beside it. */
export const FAULT_SKILL = {
  path: 'fault/notes-digest',
  files: { 'SKILL.md': '---\nname: notes-digest\ndescription: Sum up the notes.\n---\n\n# Notes digest\n\nRead each note, then write one line per note.\n', 'example.md': '- readme: what the notes are\n' },
} as const;
/** A skill nested in {@link FAULT_SKILL} (its files are listed in both skills' entries); one file is not ASCII, so its size in bytes is not its length. */
export const FAULT_NESTED_SKILL = {
  path: 'fault/notes-digest/weekly',
  files: { 'SKILL.md': '---\nname: weekly\ndescription: Sum up a week of notes.\n---\n\n# Weekly digest\n\nGroup the notes by day first.\n', 'days.md': 'Monday \u2014 Sunday, one line each \u2192 seven lines\n' },
} as const;

export function withHeaders(request: Request, change: (h: Headers) => void): Request {
  const headers = new Headers(request.headers);
  change(headers);
  return new Request(request, { headers });
}

/** Requests of a legacy session (the modern era has no session header). */
export function legacy(request: Request): boolean {
  return request.headers.has('mcp-session-id');
}

/** A modern POST (no session) with its JSON body changed by `change` (which may return it as is). */
export async function withModernBody(request: Request, change: (body: Obj) => Obj): Promise<Request> {
  if (request.method !== 'POST' || legacy(request)) return request;
  const text = await request.text();
  let body: Obj;
  try { body = JSON.parse(text) as Obj; } catch { return new Request(request, { body: text }); }
  return new Request(request, { body: JSON.stringify(change(body)) });
}

/** A tools/call's params with `change` applied; other messages as they are. */
function toolCallParams(body: Obj, change: (params: Obj) => Obj): Obj {
  return body.method === 'tools/call' && typeof body.params === 'object' && body.params !== null ? { ...body, params: change(body.params as Obj) } : body;
}

/** `streamId.N` event ids (mcpwire's own format) with N moved by `delta`. */
function shiftEventId(id: string, delta: number): string {
  const dot = id.lastIndexOf('.');
  const n = Number(id.slice(dot + 1));
  return dot < 0 || !Number.isInteger(n) ? id : `${id.slice(0, dot)}.${n + delta}`;
}

/** Every seeded defect. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'origin-ignored', defect: 'no Origin validation (DNS rebinding)', expect: 'http.origin',
    wrap: (inner) => (r) => inner(withHeaders(r, (h) => h.delete('origin'))),
  },
  {
    name: 'version-header-ignored', defect: 'an unsupported MCP-Protocol-Version is accepted', expect: 'http.protocol-version-header',
    wrap: (inner) => (r) => inner(withHeaders(r, (h) => { if (h.get('mcp-protocol-version') === '1999-01-01') h.set('mcp-protocol-version', '2025-11-25'); })),
  },
  {
    name: 'accept-ignored', defect: 'a POST whose Accept lacks text/event-stream is served', expect: 'http.post-accept',
    wrap: (inner) => (r) => inner(withHeaders(r, (h) => { if (r.method === 'POST') h.set('accept', 'application/json, text/event-stream'); })),
  },
  {
    name: 'delete-ignored', defect: 'DELETE answers 200 but the session lives on', expect: 'http.delete-session',
    wrap: (inner) => (r) => (r.method === 'DELETE' ? Promise.resolve(new Response(null, { status: 200 })) : inner(r)),
  },
  {
    name: 'second-get-crashes', defect: 'a second standalone GET in a session gets 500 instead of 409', expect: 'http.get-conflict',
    wrap: (inner) => async (r) => {
      const response = await inner(r);
      return r.method === 'GET' && response.status === 409 ? new Response('internal error', { status: 500 }) : response;
    },
  },
  {
    name: 'body-limit-400', defect: 'a body above the limit gets 400 instead of 413', expect: 'http.body-too-large',
    wrap: (inner) => async (r) => {
      const response = await inner(r);
      return response.status === 413 ? new Response('{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"}}', { status: 400, headers: { 'content-type': 'application/json' } }) : response;
    },
  },
  {
    name: 'replay-leaks-across-sessions', defect: 'Last-Event-ID is looked up without its session', expect: 'http.resume-cross-stream',
    wrap: (inner) => {
      const owner = new Map<string, string>(); // event id -> session that received it
      return async (r) => {
        const last = r.headers.get('last-event-id');
        const session = last === null ? undefined : owner.get(last);
        const response = await inner(session === undefined ? r : withHeaders(r, (h) => h.set('mcp-session-id', session)));
        const mine = r.headers.get('mcp-session-id');
        return mine === null ? response : mapResponseMessages(response, (m, id) => { if (id !== undefined) owner.set(id, mine); return m; });
      };
    },
  },
  {
    name: 'resume-loses-event', defect: 'a resume skips the first event after Last-Event-ID', expect: 'http.resume-exactly-once',
    wrap: (inner) => (r) => {
      const last = r.headers.get('last-event-id');
      return inner(last === null ? r : withHeaders(r, (h) => h.set('last-event-id', shiftEventId(last, 1))));
    },
  },
  {
    name: 'resume-duplicates-event', defect: 'a resume sends its first message twice', expect: 'http.resume-exactly-once',
    wrap: (inner) => async (r) => {
      const response = await inner(r);
      if (r.headers.get('last-event-id') === null) return response;
      let doubled = false;
      return mapResponseMessages(response, (m) => {
        if (doubled) return m;
        doubled = true;
        return [m, m];
      });
    },
  },
  {
    name: 'stray-response-id', defect: 'a tools/call stream carries a response to an id never sent', expect: 'jsonrpc.response-correlation',
    wrap: (inner) => async (r) => {
      const response = await inner(r);
      if (!legacy(r) || r.method !== 'POST') return response;
      let sent = false;
      return mapResponseMessages(response, (m) => {
        if (sent || !('result' in m) || !('content' in (m.result as Obj))) return m;
        sent = true;
        return [{ jsonrpc: '2.0', id: 987_654_321, result: {} }, m];
      });
    },
  },
  {
    name: 'progress-decreases', defect: 'progress values go down', expect: 'progress.increases',
    wrap: (inner) => async (r) => {
      const response = await inner(r);
      return !legacy(r) ? response : mapResponseMessages(response, (m) => {
        if (m.method !== 'notifications/progress') return m;
        const params = m.params as Obj;
        return { ...m, params: { ...params, progress: 1_000 - Number(params.progress) } };
      });
    },
  },
  (() => {
    // A server whose progress has no link to its request, so it goes out on the session's
    // standalone stream (dropped when none is open), as SDK issues have reported.
    const streams = new Map<string, ReadableStreamDefaultController<Uint8Array>>(); // session -> its GET stream
    const encoder = new TextEncoder();
    return {
      name: 'progress-on-get', defect: 'a call\'s progress goes out on the standalone GET stream, not on the call\'s POST stream', expect: 'http.related-stream',
      wrap: (inner) => async (r) => {
        const session = r.headers.get('mcp-session-id');
        const response = await inner(r);
        if (session === null || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) return response;
        if (r.method === 'GET') {
          const reader = response.body.getReader();
          const body = new ReadableStream<Uint8Array>({
            start(controller) { streams.set(session, controller); },
            async pull(controller) {
              const next = await reader.read();
              if (next.done) { streams.delete(session); controller.close(); } else controller.enqueue(next.value);
            },
            cancel(reason) { streams.delete(session); return reader.cancel(reason); },
          });
          return new Response(body, { status: response.status, headers: response.headers });
        }
        return mapResponseMessages(response, (m) => {
          if (m.method !== 'notifications/progress') return m;
          try { streams.get(session)?.enqueue(encoder.encode(`data: ${JSON.stringify(m)}\n\n`)); } catch { /* that stream just closed */ }
          return undefined;
        });
      },
    } satisfies Fault;
  })(),
  {
    name: 'logging-undeclared', defect: 'log messages from a server that does not declare logging', expect: 'capability.gating', noisyTool: true,
    wrap: (inner) => async (r) => {
      const response = await inner(r);
      if (legacy(r) || r.method !== 'POST') return response;
      return mapResponseMessages(response, (m) => {
        const result = m.result as Obj | undefined;
        if (!result || typeof result.protocolVersion !== 'string' || result.protocolVersion >= '2026') return m;
        const { logging: _dropped, ...capabilities } = result.capabilities as Obj;
        return { ...m, result: { ...result, capabilities } };
      });
    },
  },
  {
    name: 'input-responses-ignored', defect: 'a modern retry\'s inputResponses and requestState are dropped, so the call asks again forever', expect: 'modern.input-rounds',
    wrap: (inner) => async (r) => inner(await withModernBody(r, (b) => toolCallParams(b, ({ inputResponses: _i, requestState: _s, ...rest }) => rest))),
  },
  {
    name: 'input-ungated', defect: 'modern input requests ignore the client\'s declared capabilities', expect: 'modern.input-gating',
    wrap: (inner) => async (r) => inner(await withModernBody(r, (b) => toolCallParams(b, (p) => {
      const meta = (p._meta ?? {}) as Obj;
      return { ...p, _meta: { ...meta, 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} }, sampling: {}, roots: {} } } };
    }))),
  },
  {
    // A framework default: the client's answer to an elicitation (a JSON-RPC response) is acknowledged 200, not 202.
    name: 'answer-acknowledged-200', defect: 'a POSTed answer to a server request gets 200, not 202', expect: 'http.notification-202',
    wrap: (inner) => async (r) => {
      if (r.method !== 'POST' || !legacy(r)) return inner(r);
      const text = await r.clone().text();
      const response = await inner(r);
      const isAnswer = /^\{"jsonrpc":"2\.0","id":[^,]*,"(result|error)"/.test(text);
      return isAnswer && response.status === 202 ? new Response(null, { status: 200 }) : response;
    },
  },
  {
    name: 'tool-without-input-schema', defect: 'tools/list result lacks the required inputSchema', expect: 'schema.message',
    wrap: (inner) => async (r) => {
      const response = await inner(r);
      return !legacy(r) ? response : mapResponseMessages(response, (m) => {
        const tools = (m.result as { tools?: Obj[] } | undefined)?.tools;
        if (!Array.isArray(tools)) return m;
        return { ...m, result: { ...(m.result as Obj), tools: tools.map((t) => (t.name === 'echo' ? { ...t, inputSchema: undefined } : t)) } };
      });
    },
  },
];

/** A fault server listening on loopback port 0. */
export interface RunningFault {
  readonly url: string;
  close(): Promise<void>;
}

/** Serve the demo tools with `fault` injected. */
export async function startFaultServer(fault: Fault | undefined): Promise<RunningFault> {
  const server = createServer({ name: `fault-${fault?.name ?? 'none'}`, version: '1.0.0' }, { onError: () => undefined, tasks: { store: createMemoryTaskStore() } });
  registerDemoTools(server);
  // A read-only tool that asks for input: legacy elicitation, modern input rounds.
  server.tool({ name: 'ask_name', description: 'Asks for a name and greets it.', annotations: { readOnlyHint: true } }, async (_args, ctx) => {
    const form = await ctx.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    return form.action === 'accept' ? `hello ${String(form.content?.name)}` : `no name (${form.action})`;
  });
  // A tool with an outputSchema (its structuredContent goes out with a text block) and a resource.
  server.tool({
    name: 'forecast', description: 'A structured forecast.', annotations: { readOnlyHint: true },
    outputSchema: { type: 'object', properties: { temperature: { type: 'number' } }, required: ['temperature'] },
  }, () => ({ structuredContent: { temperature: 21.5 } }));
  // After the tools above: the cancellation probe tries the first five read-only tools only.
  registerProbeTools(server, { settle: fault === undefined || fault.slowTool === true });
  if (fault?.urlTool === true) {
    server.tool({ name: 'sign_in', description: 'Sends the user to a sign-in page.', annotations: { readOnlyHint: true } }, async (_args, ctx) => {
      // The server refuses URL mode to a client that did not declare it: then there is no page to send.
      const answer = await ctx.elicit({ mode: 'url', message: 'Sign in', url: 'https://example.com/sign-in' }).catch(() => undefined);
      return answer === undefined ? 'no sign-in page for this client' : `sign-in ${answer.action}`;
    });
  }
  if (fault?.paramTool === true || fault?.paramTool === 'enums') {
    server.tool({
      name: 'where', description: 'Echoes its region.', annotations: { readOnlyHint: true },
      inputSchema: { type: 'object', properties: { region: { type: 'string', enum: ['eu-west', 'us-east'], 'x-mcp-header': 'Region' } }, required: ['region'] },
    }, (args: { region: string }) => `region: ${args.region}`);
    // A mark on a nested property: every step from the root is a properties key.
    server.tool({
      name: 'route', description: 'Echoes the zone of its target.', annotations: { readOnlyHint: true },
      inputSchema: { type: 'object', properties: { target: { type: 'object', properties: { zone: { type: 'string', enum: ['a', 'b'], 'x-mcp-header': 'Zone' } }, required: ['zone'] } }, required: ['target'] },
    }, (args: { target: { zone: string } }) => `zone: ${args.target.zone}`);
  }
  if (fault?.paramTool === true) {
    // A marked free-text argument: the body can carry the non-ASCII text a raw header byte stands for.
    server.tool({
      name: 'note', description: 'Echoes its text.', annotations: { readOnlyHint: true },
      inputSchema: { type: 'object', properties: { text: { type: 'string', 'x-mcp-header': 'Note' } }, required: ['text'] },
    }, (args: { text: string }) => `note: ${args.text}`);
  }
  // Two input rounds (2026-07-28: the second retry's requestState is the one the second answer gave); the clean server has it too.
  if (fault === undefined || fault.twoRoundTool === true) {
    server.tool({ name: 'ask_two', description: 'Asks for a name, then a city, and greets both.', annotations: { readOnlyHint: true } }, async (_args, ctx) => {
      const name = await ctx.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
      const city = await ctx.elicit({ message: 'Your city?', requestedSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } });
      return `hello ${String(name.content?.name)} from ${String(city.content?.city)}`;
    });
  }
  if (fault === undefined || fault.samplingTool === true) {
    server.tool({ name: 'consult', description: 'Asks the client\'s model which note to read first.', annotations: { readOnlyHint: true } }, async (_args, ctx) => {
      const sampling = ctx.clientCapabilities.sampling;
      if (sampling === undefined) return 'no model to ask';
      // 2025-11-25 client/sampling: tools only to a client that declared sampling.tools.
      const offer = sampling.tools === undefined ? {} : { tools: [{ name: 'open_note', inputSchema: { type: 'object' as const } }], toolChoice: { mode: 'auto' as const } };
      const asked = [{ role: 'user' as const, content: { type: 'text' as const, text: 'Which note first?' } }];
      let answer = await ctx.sample({ messages: asked, maxTokens: 20, ...offer }).catch(() => undefined);
      // 2025-11-25 client/sampling, tool use: each tool_use answered at once by a user message of tool results.
      const uses = answer?.stopReason === 'toolUse' ? [answer.content].flat().filter((c) => c.type === 'tool_use') : [];
      if (answer !== undefined && uses.length > 0) {
        const results = uses.map((u) => ({ type: 'tool_result' as const, toolUseId: u.id, content: [{ type: 'text' as const, text: 'note 1' }] }));
        answer = await ctx.sample({ messages: [...asked, { role: 'assistant', content: answer.content }, { role: 'user', content: results }], maxTokens: 20, ...offer }).catch(() => undefined);
      }
      return answer === undefined ? 'the client did not answer' : `the model answered (${answer.model})`;
    });
  }
  if (fault?.noisyTool === true) {
    server.tool({ name: 'noisy', description: 'Logs one line.', annotations: { readOnlyHint: true } }, async (_args, ctx) => {
      await ctx.log('info', 'working');
      return 'done';
    });
  }
  // Last, so the skill's files come after the notes in resources/list (the listen probe names the first URI).
  if (fault === undefined || fault.skills === true) await serveSkills(server, [FAULT_SKILL, FAULT_NESTED_SKILL]);
  let handler: McpHttpHandler | undefined;
  const correct: Fetch = (request) => handler!.handle(request);
  const served = fault ? fault.wrap(correct) : correct;
  const http: ListeningServer = await listen((request) => served(request), { port: 0 });
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${http.port}`] });
  return {
    url: `http://127.0.0.1:${http.port}/mcp`,
    async close() {
      await handler!.close();
      await http.close();
    },
  };
}
