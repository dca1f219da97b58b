// Options an embedder gives that were taken unchecked (round three of option-errors.test.ts,
// session 32). Before: the 2026-07-28 options were read only when the dispatcher loaded, on
// the first modern message, and never checked there: `caching.ttlMs: -1` went on the wire as
// `"ttlMs": -1`, `listen.maxStreams: 0` refused every listen, a string `inputRounds.key` was
// taken for a key; `eras: 'modren'` served both eras; `createServer(undefined)` answered
// initialize with no serverInfo; a client's `discoverTimeoutMs: -1` made every `auto` connect
// decide legacy at once; `createEraCache('600000')` expired every answer at once; a memory
// pair's, a resume store's and the OAuth client's bounds took 0, -1 or a string; a bad `tasks`
// option was an McpError, not the RangeError every other limit is; a tool registered without a
// handler function was listed, and its call answered "entry.handler is not a function";
// `instructions: 5` and `capabilities: 'tools'` went on the wire as given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMcpHttpHandler, createModernDispatcher, createServer, serveEras, type ModernDispatcherOptions, type TaskOptions } from '../server/index.ts';
import {
  createClient, createEraCache, createFileResumeStore, createMemoryResumeStore, createOAuthClient,
} from '../client/index.ts';
import { createMemoryPair, createMemoryTaskStore } from '../transport/index.ts';
import { LocalErrorCode, McpError } from '../protocol/index.ts';

const INFO = { name: 'o', version: '1' };
const refused = (kind: typeof RangeError | typeof TypeError, message: string) => (e: unknown) => e instanceof kind && e.message === message;

/** Each bad `modern` option, the message it gets (after the caller's prefix) and its error class. */
const MODERN: Array<[ModernDispatcherOptions, string, typeof RangeError | typeof TypeError]> = [
  [{ inputRounds: { ttlMs: -1 } }, 'inputRounds.ttlMs must be a positive integer, got -1', RangeError],
  [{ inputRounds: { ttlMs: '600000' as unknown as number } }, 'inputRounds.ttlMs must be a positive integer, got "600000"', RangeError],
  [{ inputRounds: { maxContinuations: 0 } }, 'inputRounds.maxContinuations must be a positive integer, got 0', RangeError],
  [{ inputRounds: { maxContinuationBytes: 1.5 } }, 'inputRounds.maxContinuationBytes must be a positive integer, got 1.5', RangeError],
  [{ inputRounds: { maxReplayMemory: Number.NaN } }, 'inputRounds.maxReplayMemory must be a positive integer, got NaN', RangeError],
  [{ inputRounds: { key: 'k'.repeat(40) as unknown as Uint8Array } }, 'inputRounds.key must be a Uint8Array of at least 32 bytes, got string', TypeError],
  [{ caching: { ttlMs: -1 } }, 'caching.ttlMs must be a non-negative integer, got -1', RangeError],
  [{ caching: { scope: 'shared' as 'public' } }, `caching.scope must be 'public' or 'private', got "shared"`, RangeError],
  [{ listen: { maxStreams: 0 } }, 'listen.maxStreams must be a positive integer, got 0', RangeError],
  [{ listen: { maxStreamsPerPrincipal: -1 } }, 'listen.maxStreamsPerPrincipal must be a positive integer, got -1', RangeError],
  [{ listen: { maxResourceSubscriptions: Infinity } }, 'listen.maxResourceSubscriptions must be a positive integer, got Infinity', RangeError],
  [{ listen: { maxTaskIds: '10' as unknown as number } }, 'listen.maxTaskIds must be a positive integer, got "10"', RangeError],
  [{ maxProgressTokenLength: 0 }, 'maxProgressTokenLength must be a positive integer, got 0', RangeError],
  [{ legacyVersions: '2025-11-25' as unknown as string[] }, 'legacyVersions must be an array of version strings, got "2025-11-25"', TypeError],
];

const modern = suite('2026-07-28 options: refused where they are given, naming the option and the value');

modern('createMcpHttpHandler({ modern }) throws at creation, before any 2026-07-28 request loads the dispatcher', () => {
  for (const [options, message, kind] of MODERN) {
    assert.throws(() => createMcpHttpHandler(createServer(INFO), { modern: options }), refused(kind, `modern.${message}`), message);
  }
  // A key too short keeps its message, now naming the option and its length.
  const short = { inputRounds: { key: new Uint8Array(16) } };
  assert.throws(() => createMcpHttpHandler(createServer(INFO), { modern: short }), refused(RangeError, 'requestState key must be at least 32 bytes (modern.inputRounds.key has 16)'));
});

modern('createModernDispatcher(server, options) throws at once, naming the option as given', () => {
  const server = createServer(INFO);
  for (const [options, message, kind] of MODERN) {
    assert.throws(() => createModernDispatcher(server as unknown as Parameters<typeof createModernDispatcher>[0], options), refused(kind, message), message);
  }
});

modern('serveEras(server, transport, { modern }) rejects before the transport starts', async () => {
  for (const [options, message, kind] of MODERN) {
    const [serverSide] = createMemoryPair();
    const served = serveEras(createServer(INFO), serverSide, { modern: options }).then(() => 'served', (e: unknown) => e);
    await serverSide.close(); // without the check, serveEras waited for a first message: now it ends
    const error = await served;
    assert.ok(refused(kind, `modern.${message}`)(error), `${message}: ${String(error)}`);
  }
});

modern('good values pass: caching ttlMs 0, public scope, a 32-byte key, Infinity only where a limit takes it', async () => {
  const good: ModernDispatcherOptions = {
    caching: { ttlMs: 0, scope: 'public' }, inputRounds: { key: new Uint8Array(32), ttlMs: 1, maxContinuations: 1 }, listen: { maxStreams: 1 },
  };
  const handler = createMcpHttpHandler(createServer(INFO), { modern: good, eras: 'modern' });
  await handler.close();
});

const embed = suite('server info, eras, and the client-side factories: refused where they are given');

embed('createMcpHttpHandler eras: both or modern, not a misspelling', () => {
  assert.throws(() => createMcpHttpHandler(createServer(INFO), { eras: 'modren' as 'modern' }), refused(RangeError, `eras must be 'both' or 'modern', got "modren"`));
});

embed('createServer(info): name and version strings (the serverInfo every initialize answers with)', () => {
  for (const info of [undefined, null, {}, { name: 'x' }, { name: 5, version: '1' }]) {
    assert.throws(() => createServer(info as typeof INFO), refused(TypeError, `createServer: info must be { name: string, version: string }, got ${JSON.stringify(info) ?? 'undefined'}`), JSON.stringify(info));
  }
});

embed('createServer tasks: a RangeError naming the option, a string shown as one (was an McpError "got 1")', () => {
  for (const [tasks, message] of [
    [{ pollIntervalMs: '1' }, 'tasks.pollIntervalMs must be a positive integer, got "1"'],
    [{ defaultTtlMs: -1 }, 'tasks.defaultTtlMs must be a positive integer, got -1'],
    [{ maxTasksPerPrincipal: 0 }, 'tasks.maxTasksPerPrincipal must be a positive integer, got 0'],
  ] as const) {
    assert.throws(() => createServer(INFO, { tasks: { store: createMemoryTaskStore(), ...tasks } as TaskOptions }), refused(RangeError, message), message);
  }
});

embed('server.tool without a handler function is refused when registered, as a prompt or resource without one', () => {
  const server = createServer(INFO);
  for (const handler of [undefined, 'run', {}]) {
    assert.throws(() => server.tool({ name: 'nf' }, handler as unknown as () => string), (e: unknown) => e instanceof McpError && e.code === LocalErrorCode.Validation && e.message === 'tool nf needs a handler function', String(handler));
  }
  assert.is(server.getTool('nf'), undefined, 'nothing was registered');
});

embed('createServer instructions and capabilities: a string and an object, as they go on the wire', () => {
  assert.throws(() => createServer(INFO, { instructions: 5 as unknown as string }), refused(TypeError, 'instructions must be a string, got 5'));
  for (const capabilities of ['tools', null, [{}]]) {
    assert.throws(() => createServer(INFO, { capabilities: capabilities as object }), refused(TypeError, `capabilities must be an object (ServerCapabilities), got ${JSON.stringify(capabilities)}`), String(capabilities));
  }
  void createServer(INFO, { instructions: 'Use the tools.', capabilities: { resources: {} } });
});

embed('createClient discoverTimeoutMs: a positive integer', () => {
  for (const [value, shown] of [[-1, '-1'], [0, '0'], ['5000', '"5000"']] as const) {
    assert.throws(() => createClient(INFO, { era: 'auto', discoverTimeoutMs: value as number }), refused(RangeError, `discoverTimeoutMs must be a positive integer, got ${shown}`), shown);
  }
});

embed('createEraCache(ttlMs, now, maxEntries): ttlMs 0 or more, maxEntries 1 or more; the defaults cache', () => {
  assert.throws(() => createEraCache('600000' as unknown as number), refused(RangeError, 'ttlMs must be a non-negative integer, got "600000"'));
  assert.throws(() => createEraCache(-1), refused(RangeError, 'ttlMs must be a non-negative integer, got -1'));
  assert.throws(() => createEraCache(1_000, undefined, 0), refused(RangeError, 'maxEntries must be a positive integer, got 0'));
  const cache = createEraCache();
  cache.set('k', { era: 'modern', version: '2026-07-28' });
  assert.equal(cache.get('k'), { era: 'modern', version: '2026-07-28' });
});

embed('resume stores, task stores, memory pair and OAuth client: their bounds', () => {
  for (const make of [
    () => createMemoryResumeStore({ maxRecordBytes: 0 }),
    () => createFileResumeStore({ dir: 'never-made', maxRecordBytes: 0 }),
  ]) assert.throws(make, refused(RangeError, 'maxRecordBytes must be a positive integer, got 0'));
  // The task stores' bounds were McpErrors showing a string as a number ("got x").
  assert.throws(() => createMemoryTaskStore({ maxTasks: 0 }), refused(RangeError, 'maxTasks must be a positive integer, got 0'));
  assert.throws(() => createMemoryTaskStore({ maxRecordBytes: '1mb' as unknown as number }), refused(RangeError, 'maxRecordBytes must be a positive integer, got "1mb"'));
  assert.throws(() => createMemoryTaskStore({ maxTotalBytes: -1 }), refused(RangeError, 'maxTotalBytes must be a positive integer, got -1'));
  assert.throws(() => createMemoryPair({ maxMessageBytes: -1 }), refused(RangeError, 'maxMessageBytes must be a positive integer, got -1'));
  assert.throws(() => createOAuthClient({ timeoutMs: -1 }), refused(RangeError, 'timeoutMs must be a positive integer, got -1'));
  assert.throws(() => createOAuthClient({ maxAuthorizations: 0 }), refused(RangeError, 'maxAuthorizations must be a positive integer, got 0'));
});

modern.run();
embed.run();
