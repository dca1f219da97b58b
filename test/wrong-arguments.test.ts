// Options and arguments an embedder gives that were taken unchecked (round four of
// option-errors.test.ts, session 33). Before: the SSE decoder's `maxBufferBytes` took 0 (every
// event dropped) or a string; `listen` took `host: ''` or a number for every interface, `port:
// 'x'` for a Unix socket named x in the working directory, an options string for port 3000,
// and `listen(undefined)` bound the port and then crashed the process from Node's listening
// callback; its timeouts were refused by Node under Node's names ("requestTimeout"); the HTTP
// client transport's `legacySse` and `sseEndpointTimeoutMs` were McpErrors where its other
// options are RangeErrors; `createHttpClientTransport(undefined)` failed as "Cannot destructure
// property 'legacySse'"; `createClient(undefined)` sent initialize with no clientInfo;
// `connect(undefined)` failed as "Cannot read properties of undefined (reading 'start')";
// `createMcpHttpHandler(undefined)` answered every request 500 "the session could not be
// started"; `serveEras(undefined, t)` waited for a first message; `server.tool('name', handler)`
// was "invalid tool name undefined".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createServer, serveEras, type McpServer } from '../server/index.ts';
import { createClient, createHttpClientTransport, createStdioClientTransport } from '../client/index.ts';
import { createMemoryPair, createSseDecoder, listen, type ListenOptions } from '../transport/index.ts';

const INFO = { name: 'w', version: '1' };
const refused = (kind: typeof RangeError | typeof TypeError, message: string) => (e: unknown) => e instanceof kind && e.message === message;
const hello = async () => new Response('hello');

/** What `listen` did with these options: the error, or 'bound' (closed again at once). */
async function listenOutcome(handler: unknown, options: unknown): Promise<unknown> {
  try {
    const listening = await listen(handler as typeof hello, options as ListenOptions);
    await listening.close();
    return 'bound';
  } catch (error) {
    return error;
  }
}

const options = suite('options checked where they are given: SSE decoder, listen, HTTP client transport');

options('createSseDecoder maxBufferBytes: a positive integer (0 dropped every event)', () => {
  for (const [value, shown] of [[0, '0'], [-1, '-1'], ['4096', '"4096"'], [1.5, '1.5']] as const) {
    assert.throws(() => createSseDecoder({ onEvent() {}, onError() {}, maxBufferBytes: value as number }), refused(RangeError, `maxBufferBytes must be a positive integer, got ${shown}`), shown);
  }
  const events: string[] = [];
  const decoder = createSseDecoder({ onEvent: (e) => events.push(e.data), onError: (e) => events.push(e.code), maxBufferBytes: 16 });
  decoder.push(new TextEncoder().encode('data: small\n\ndata: far too long for it\n\ndata: ok\n\n'));
  assert.equal(events, ['small', 'MCP_ERR_MESSAGE_TOO_LARGE', 'ok']);
});

options('listen host and port: refused before anything binds (no interface, no socket file)', async () => {
  const cases: Array<[ListenOptions, typeof RangeError | typeof TypeError, string]> = [
    [{ host: '', port: 0 }, TypeError, 'host must be a non-empty string (an address or name to bind), got ""'],
    [{ host: 5 as unknown as string, port: 0 }, TypeError, 'host must be a non-empty string (an address or name to bind), got 5'],
    [{ port: 'x' as unknown as number }, TypeError, 'port must be a number, got "x"'],
    [{ port: '0' as unknown as number }, TypeError, 'port must be a number, got "0"'],
    [{ port: -1 }, RangeError, 'port must be an integer from 0 to 65535, got -1'],
    [{ port: 65_536 }, RangeError, 'port must be an integer from 0 to 65535, got 65536'],
    [{ port: 1.5 }, RangeError, 'port must be an integer from 0 to 65535, got 1.5'],
  ];
  for (const [given, kind, message] of cases) {
    const outcome = await listenOutcome(hello, given);
    assert.ok(refused(kind, message)(outcome), `${JSON.stringify(given)}: ${String(outcome)}`);
  }
});

options('listen timeouts: refused under our option names, not Node\'s', async () => {
  for (const [given, message] of [
    [{ port: 0, requestTimeoutMs: -1 }, 'requestTimeoutMs must be a non-negative number, not -1'],
    [{ port: 0, requestTimeoutMs: '30000' }, 'requestTimeoutMs must be a non-negative number, not "30000"'],
    [{ port: 0, headersTimeoutMs: -5 }, 'headersTimeoutMs must be a non-negative number, not -5'],
  ] as const) {
    const outcome = await listenOutcome(hello, given);
    assert.ok(refused(RangeError, message)(outcome), `${JSON.stringify(given)}: ${String(outcome)}`);
  }
});

options('listen handler and options: a TypeError, not a crash after binding', async () => {
  for (const [handler, given, message] of [
    [undefined, { port: 0 }, 'listen: handler must be an MCP handler (createMcpHttpHandler) or a function (request: Request) => Promise<Response>, got undefined'],
    [{ handle: hello }, { port: 0 }, 'listen: handler must be an MCP handler (createMcpHttpHandler) or a function (request: Request) => Promise<Response>, got {}'],
    [hello, '3001', 'listen: options must be an object (ListenOptions), got "3001"'],
    [hello, null, 'listen: options must be an object (ListenOptions), got null'],
  ] as const) {
    const outcome = await listenOutcome(handler, given);
    assert.ok(refused(TypeError, message)(outcome), `${String(outcome)}`);
  }
  // Good values still bind: a host name, port 0, a fetch handler.
  assert.is(await listenOutcome(hello, { host: 'localhost', port: 0, requestTimeoutMs: 0 }), 'bound');
});

options('createHttpClientTransport: options an object; legacySse and sseEndpointTimeoutMs RangeErrors', () => {
  for (const [given, message] of [
    [undefined, 'createHttpClientTransport: options must be an object { url, ... }, got undefined'],
    ['http://127.0.0.1:1/mcp', 'createHttpClientTransport: options must be an object { url, ... }, got "http://127.0.0.1:1/mcp"'],
    [new URL('http://127.0.0.1:1/mcp'), 'createHttpClientTransport: options must be an object { url, ... }, got the URL http://127.0.0.1:1/mcp'],
  ] as const) {
    assert.throws(() => createHttpClientTransport(given as never), refused(TypeError, message), message);
  }
  assert.throws(() => createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', legacySse: true as never }), refused(RangeError, `legacySse must be 'fallback', 'off' or 'only', not true`));
  assert.throws(() => createHttpClientTransport({ url: 'http://127.0.0.1:1/mcp', sseEndpointTimeoutMs: -1 }), refused(RangeError, 'sseEndpointTimeoutMs must be a positive number of ms, not -1'));
  // Was "Cannot read properties of undefined (reading 'command')".
  assert.throws(() => createStdioClientTransport(undefined as never), refused(TypeError, 'command must name the server executable, got undefined'));
});

const top = suite('wrong top-level arguments: a TypeError naming the argument, where it is given');

top('createClient(info): name and version strings (the clientInfo of initialize)', () => {
  for (const info of [undefined, null, 'client', { name: 'x' }]) {
    assert.throws(() => createClient(info as typeof INFO), refused(TypeError, `createClient: info must be { name: string, version: string }, got ${JSON.stringify(info) ?? 'undefined'}`), String(info));
  }
});

top('connect(transport) of a client and a server: a Transport, nothing started', async () => {
  const message = (got: string) => `connect: transport must be a Transport (start, send, close), got ${got}`;
  for (const [transport, got] of [[undefined, 'undefined'], [{ send() {} }, '{}'], ['stdio', '"stdio"']] as const) {
    const client = createClient(INFO);
    const server = createServer(INFO);
    for (const connecting of [client.connect(transport as never), server.connect(transport as never)]) {
      const error = await connecting.then(() => 'connected', (e: unknown) => e);
      assert.ok(refused(TypeError, message(got))(error), `${got}: ${String(error)}`);
    }
    // The client can still connect: the refusal started nothing.
    const [clientSide, serverSide] = createMemoryPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    await client.close();
    await server.close();
  }
});

top('serveEras(server, transport): an McpServer and a Transport, refused before the era code loads or waits', async () => {
  const [, serverSide] = createMemoryPair();
  for (const [call, message] of [
    [() => serveEras(undefined as unknown as McpServer, serverSide), 'serveEras: server must be an McpServer (createServer), got undefined'],
    [() => serveEras(createServer(INFO), undefined as never), 'connect: transport must be a Transport (start, send, close), got undefined'],
  ] as const) {
    // Before: the first waited for a first message that never came, the second failed as "reading 'start'".
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([call().then(() => 'served', (e: unknown) => e), new Promise((done) => { timer = setTimeout(done, 2_000, 'still waiting'); })]);
    clearTimeout(timer);
    assert.ok(refused(TypeError, message)(outcome), `${message}: ${String(outcome)}`);
  }
  await serverSide.close();
});

top('createMcpHttpHandler(server, options): an McpServer and an object, refused at creation', () => {
  for (const [server, got] of [[undefined, 'undefined'], [{}, 'an object without connect'], [createServer, 'a function']] as const) {
    assert.throws(() => createMcpHttpHandler(server as unknown as McpServer), refused(TypeError, `createMcpHttpHandler: server must be an McpServer (createServer), got ${got}`), got);
  }
  assert.throws(() => createMcpHttpHandler(createServer(INFO), 'modern' as never), refused(TypeError, 'createMcpHttpHandler: options must be an object (McpHttpOptions), got "modern"'));
});

top('server.tool/resource/resourceTemplate/prompt: a definition object first (not another SDK\'s tool(name, handler))', () => {
  const server = createServer(INFO) as unknown as Record<string, (definition: unknown, handler: unknown) => unknown>;
  for (const method of ['tool', 'resource', 'resourceTemplate', 'prompt']) {
    for (const [definition, got] of [['echo', '"echo"'], [undefined, 'undefined']] as const) {
      assert.throws(() => server[method]!(definition, async () => ({})), refused(TypeError, `server.${method} takes a definition object, then its handler; got ${got}`), `${method} ${got}`);
    }
  }
});

options.run();
top.run();
