/**
 * Test helpers of the 2026-07-28 dispatcher: a small server, modern requests, and a
 * schema check of every message exchanged. Used by the server/modern and test/modern-* tests.
 */
import * as assert from 'uvu/assert';
import { RpcError, type JsonRpcNotification } from '../protocol/index.ts';
import { createMessageValidator } from '../conformance/index.ts';
import { createServer, type McpServer } from '../server/server.ts';
import { createModernDispatcher, type ModernAnswer, type ModernDispatcher, type ModernDispatcherOptions } from '../server/modern/dispatcher.ts';
import { META } from '../server/modern/envelope.ts';

export const VERSION = '2026-07-28';

/** A `_meta` envelope with `caps` and extra keys. */
export function envelope(caps: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    [META.protocolVersion]: VERSION,
    [META.clientCapabilities]: caps,
    [META.clientInfo]: { name: 'modern-test', version: '1.0.0' },
    ...extra,
  };
}

let nextId = 1;

/** A modern request with a fresh id. */
export function request(method: string, params: Record<string, unknown> = {}, caps: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0' as const, id: `r-${nextId++}`, method, params: { ...params, _meta: envelope(caps, meta) } };
}

/** The retry of `message` (a first round): its params with the answers and the state echoed, a new id and envelope (2026-07-28 basic/patterns/mrtr). */
export function retryRequest(message: ReturnType<typeof request>, requestState: unknown, inputResponses: Record<string, unknown>, caps: Record<string, unknown>) {
  const { _meta, ...params } = message.params as Record<string, unknown>;
  return request(message.method, { ...params, inputResponses, requestState }, caps);
}

/** A server with one tool of each kind the tests need. */
export function testServer(): McpServer {
  const server = createServer({ name: 'modern-test-server', version: '1.0.0' }, { instructions: 'Test server.' });
  server.tool({ name: 'echo', description: 'Echoes its text.', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
    (args: { text?: string }) => `echo: ${args.text ?? ''}`);
  server.tool({ name: 'noisy', description: 'Logs and reports progress.' }, async (_args, ctx) => {
    await ctx.log('info', 'working');
    for (const step of [1, 2]) await ctx.progress(step, 2);
    return 'done';
  });
  server.tool({ name: 'needs_sampling', description: 'Samples.' }, async (_args, ctx) => {
    const answer = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 });
    return `model said ${JSON.stringify(answer.content)}`;
  });
  server.resource({ uri: 'test://doc', name: 'doc', mimeType: 'text/plain' }, () => 'the doc');
  server.prompt({ name: 'greet', description: 'Greets.' }, () => 'Hello!');
  server.prompt({
    name: 'trip', description: 'A trip to a city.', arguments: [{ name: 'city', required: true }],
    complete: { city: (value) => ['paris', 'park', 'rome'].filter((c) => c.startsWith(value)) },
  }, (args) => `A trip to ${args.city}`);
  return server;
}

/** Exchanges checked against the 2026-07-28 schema: every request and answer validates. */
export class Exchange {
  readonly dispatcher: ModernDispatcher;
  readonly notifications: JsonRpcNotification[] = [];
  readonly #validator = createMessageValidator(VERSION);

  /** Whether each request's JSON text rides the call, as HTTP and stdio give it (ModernCall.text). */
  readonly #text: boolean;

  constructor(server: McpServer = testServer(), options: ModernDispatcherOptions = {}, { text = false }: { text?: boolean } = {}) {
    this.dispatcher = createModernDispatcher(server, options);
    this.#text = text;
  }

  /**
   * Send `message`; assert it (unless `forbidden`: a request the schema does not allow,
   * sent on purpose) and everything sent back validate; return the answer.
   */
  async send(message: Record<string, unknown>, signal?: AbortSignal, forbidden = false): Promise<ModernAnswer> {
    if (forbidden) assert.ok(this.#validator.validate(message, 'client-to-server').length > 0, 'the request is one the schema forbids');
    else this.#check(message, 'client-to-server');
    const answer = await this.dispatcher.handle(message, {
      notify: (n) => { this.#check(n, 'server-to-client'); this.notifications.push(n); },
      ...(signal ? { signal } : {}),
      ...(this.#text ? { text: JSON.stringify(message) } : {}),
    });
    assert.ok(answer, `an answer to ${String(message.method)}`);
    this.#check(answer.message, 'server-to-client');
    return answer;
  }

  /** The result of `message`, asserting it succeeded. */
  async result(message: Record<string, unknown>): Promise<Record<string, any>> {
    const answer = await this.send(message);
    assert.ok('result' in answer.message, `${String(message.method)} failed: ${JSON.stringify(answer.message)}`);
    assert.is(answer.status, 200);
    return (answer.message as { result: Record<string, any> }).result;
  }

  /** The error of `message`, asserting it failed with `status`; see {@link send} for `forbidden`. */
  async error(message: Record<string, unknown>, status: number, forbidden = false): Promise<{ code: number; message: string; data?: any }> {
    const answer = await this.send(message, undefined, forbidden);
    assert.ok('error' in answer.message, `${String(message.method)} should fail: ${JSON.stringify(answer.message)}`);
    assert.is(answer.message.id, message.id, 'the error echoes the request id');
    assert.is(answer.status, status);
    return (answer.message as { error: { code: number; message: string; data?: any } }).error;
  }

  #check(message: unknown, direction: 'client-to-server' | 'server-to-client'): void {
    const violations = this.#validator.validate(message, direction);
    assert.is(violations.length, 0, violations.map((v) => `${v.definition}: ${v.message} ${v.detail}`).join('\n'));
  }
}

let bearerId = 0;
/**
 * A 2026-07-28 POST to `handler` at `resource` as the bearer of `token`, with the headers the
 * method needs (`Mcp-Name`: `name`); the JSON-RPC answer, from a JSON or an SSE body.
 */
export async function bearerPost(
  handler: { handle(request: Request): Promise<Response> }, resource: string, caps: Record<string, unknown>,
  token: string, method: string, params: Record<string, unknown>, name: string,
): Promise<{ result?: any; error?: { code: number; message: string; data?: any } }> {
  const res = await handler.handle(new Request(resource, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-protocol-version': VERSION, 'mcp-method': method, 'mcp-name': name },
    body: JSON.stringify({ jsonrpc: '2.0', id: `b${bearerId++}`, method, params: { ...params, _meta: envelope(caps) } }),
  }));
  assert.is(res.status, 200, `${method}: HTTP ${res.status}`);
  const text = await res.text();
  return JSON.parse(text.startsWith('{') ? text : text.split('\n').find((l) => l.startsWith('data:'))!.slice(5));
}

/** The `data.reason` a request state's refusal carries (`RequestStateSealer.open`), undefined if `run` succeeds. */
export async function refusal(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    assert.instance(error, RpcError);
    return ((error as RpcError).data as { reason: string }).reason;
  }
}
