// Every bound an option sets is checked where it is given, naming the option and the value
// (round two of option-errors.test.ts). Before: `limits: { requestTimeoutMs: -1 }` timed every
// request out at once, `maxSubscriptions: 0` refused every subscription, `path: 'mcp'` answered
// every request 404, an empty stdio `command` failed at connect with Node's "The argument 'file'
// cannot be empty", and an HTTP option given as undefined replaced its default (`path: undefined`: 404s).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createSchemaValidator, createServer, type McpHttpOptions } from '../server/index.ts';
import { createClient, createHttpClientTransport, createStdioClientTransport } from '../client/index.ts';
import { createPeer, type PeerLimits } from '../protocol/index.ts';
import { limitsFor } from '../protocol/limits.ts';

const INFO = { name: 'o', version: '1' };
const refused = (message: string) => (e: unknown) => e instanceof Error && e.message === message;

const bounds = suite('option bounds: a wrong value is refused at creation, naming the option and the value');

bounds('peer limits: positive integers or Infinity, for servers, clients and bare peers', () => {
  const bad: Array<[string, unknown, string]> = [
    ['requestTimeoutMs', -1, '-1'], ['requestTimeoutMs', 0, '0'], ['maxTotalTimeoutMs', Number.NaN, 'NaN'],
    ['maxPendingRequests', '10', '"10"'], ['maxInflightHandlers', 1.5, '1.5'], ['maxProgressTokenLength', -Infinity, '-Infinity'],
  ];
  for (const [name, value, shown] of bad) {
    const message = `limits.${name} must be a positive integer or Infinity, got ${shown}`;
    const limits = { [name]: value };
    assert.throws(() => createServer(INFO, { limits }), refused(message), `server ${name}`);
    assert.throws(() => createClient(INFO, { limits }), refused(message), `client ${name}`);
    assert.throws(() => createPeer({ limits }), refused(message), `peer ${name}`);
  }
  void createServer(INFO, { limits: { requestTimeoutMs: Infinity, maxTotalTimeoutMs: Infinity } });
  // A limit given as undefined keeps its default instead of becoming undefined.
  assert.is(limitsFor({ requestTimeoutMs: undefined, maxPendingRequests: 7 } as unknown as Partial<PeerLimits>).requestTimeoutMs, 60_000);
  assert.is(limitsFor(Object.freeze({ maxInflightHandlers: undefined }) as unknown as Partial<PeerLimits>).maxInflightHandlers, 1_024);
});

bounds('createServer: maxSubscriptions, askTimeouts, uriTemplates', () => {
  const cases: Array<[object, string]> = [
    [{ maxSubscriptions: 0 }, 'maxSubscriptions must be a positive integer, got 0'],
    [{ maxSubscriptions: '5' }, 'maxSubscriptions must be a positive integer, got "5"'],
    [{ askTimeouts: { elicitTimeoutMs: -1 } }, 'askTimeouts.elicitTimeoutMs must be a positive integer or Infinity, got -1'],
    [{ askTimeouts: { rootsTimeoutMs: Number.NaN } }, 'askTimeouts.rootsTimeoutMs must be a positive integer or Infinity, got NaN'],
    [{ uriTemplates: { maxUriLength: 0 } }, 'uriTemplates.maxUriLength must be a positive integer, got 0'],
    [{ uriTemplates: { maxExpressions: 2.5 } }, 'uriTemplates.maxExpressions must be a positive integer, got 2.5'],
  ];
  for (const [options, message] of cases) assert.throws(() => createServer(INFO, options), refused(message), message);
  void createServer(INFO, { maxSubscriptions: 1, askTimeouts: { sampleTimeoutMs: Infinity }, uriTemplates: { maxTemplateLength: 10 } });
});

bounds('createSchemaValidator: its four bounds', () => {
  for (const name of ['maxSchemaDepth', 'maxSchemaNodes', 'maxCacheEntries', 'maxErrors']) {
    assert.throws(() => createSchemaValidator({ [name]: 0 }), refused(`${name} must be a positive integer, got 0`), name);
  }
});

bounds('createMcpHttpHandler: path must start with a slash; an option given as undefined keeps its default', async () => {
  const server = createServer(INFO);
  for (const path of ['mcp', '', 'http://127.0.0.1/mcp']) {
    assert.throws(() => createMcpHttpHandler(server, { path }), refused(`path must start with '/' (e.g. '/mcp'), got ${JSON.stringify(path)}`), path);
  }
  // `path: undefined` (a config value left out) used to answer every request 404 ("the MCP endpoint is undefined").
  const handler = createMcpHttpHandler(server, { path: undefined, maxBodyBytes: undefined } as unknown as McpHttpOptions);
  const post = (body: object) => handler.handle(new Request('http://127.0.0.1/mcp', {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(body),
  }));
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: INFO } };
  assert.is((await post(init)).status, 200, 'served on the default /mcp');
  assert.is((await post({ ...init, params: { ...init.params, pad: 'x'.repeat(5 * 1024 * 1024) } })).status, 413, 'the default 4 MiB body bound holds');
  await handler.close();
});

bounds('client transports: stdio command, maxLineBytes, closeGraceMs; HTTP maxEventBytes, closeTimeoutMs', () => {
  for (const command of ['', '   ', undefined]) {
    assert.throws(() => createStdioClientTransport({ command: command as string }), refused(`command must name the server executable, got ${JSON.stringify(command)}`), String(command));
  }
  assert.throws(() => createStdioClientTransport({ command: 'node', maxLineBytes: 0 }), refused('maxLineBytes must be a positive integer, got 0'));
  assert.throws(() => createStdioClientTransport({ command: 'node', closeGraceMs: -1 }), refused('closeGraceMs must be a non-negative integer, got -1'));
  const url = 'http://127.0.0.1:1/mcp';
  assert.throws(() => createHttpClientTransport({ url, maxEventBytes: '1mb' as unknown as number }), refused('maxEventBytes must be a positive integer, got "1mb"'));
  assert.throws(() => createHttpClientTransport({ url, closeTimeoutMs: -5 }), refused('closeTimeoutMs must be a non-negative integer, got -5'));
});

bounds('createClient: maxSchemaDepth, maxSchemaNodes', () => {
  assert.throws(() => createClient(INFO, { maxSchemaDepth: 0 }), refused('maxSchemaDepth must be a positive integer, got 0'));
  assert.throws(() => createClient(INFO, { maxSchemaNodes: -1 }), refused('maxSchemaNodes must be a positive integer, got -1'));
});

bounds.run();
