// The embedding footprint's split (issue #20 item 3), checked by structure rather than by a
// byte budget that moves with versions: bundled with esbuild --splitting, the server entry
// holds no undici at all, nor at start the code a one-tool server does not run unless asked;
// what a stdio-only client loads at start holds neither undici (loaded by the HTTP client
// transport) nor ajv (loaded when an output schema is checked).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listEntries, measureEntry, packageOf } from './size.ts';

const names = (inputs: Array<[string, number]>): string[] => inputs.map(([name]) => name);

const split = suite('npm run size: what each entry loads');

split('the entries bundled are the ones under bench/size-entries/', () => {
  const entries = listEntries();
  for (const entry of ['server', 'client-stdio', 'client-http', 'sdk1-client']) assert.ok(entries.includes(entry), `${entry} in ${entries.join(', ')}`);
});

split('inputs are grouped by package, or by the library folder they come from', () => {
  assert.is(packageOf('node_modules/undici/lib/core/util.js'), 'undici');
  assert.is(packageOf('node_modules/@modelcontextprotocol/sdk/dist/esm/client/index.js'), '@modelcontextprotocol/sdk');
  assert.is(packageOf('client/client.ts'), 'mcpwire/client');
  assert.is(packageOf('dist/transport/stdio/client.js'), 'mcpwire/transport');
  assert.is(packageOf('bench/size-entries/server.ts'), '(entry)');
});

split('the server entry (one tool, HTTP on node:http, stdio) holds no undici', async () => {
  const server = await measureEntry('server');
  const all = [...names(server.initialInputs), ...names(server.lazyInputs)];
  assert.ok(all.includes('mcpwire/server') && all.includes('mcpwire/transport'), all.join(', '));
  assert.not.ok(all.includes('undici'), `undici is in the server entry: ${all.join(', ')}`);
});

split('the server entry loads at most 256,000 bytes minified at start (issue #20\'s target)', async () => {
  const server = await measureEntry('server');
  assert.ok(server.initial.min <= 256_000, `${server.initial.min} B at start`);
});

/** What a server with one tool on HTTP + stdio does not run unless asked: loaded with import() on first use (issue #20 item 3). */
const LOADED_ON_FIRST_USE = [
  'server/modern/dispatcher.ts', // the first 2026-07-28 request
  'server/modern/serve-eras.ts', // serveEras (stdio in either era)
  'transport/http/modern-http.ts', // the first 2026-07-28 POST
  'server/tasks/runtime.ts', // a server created with `tasks`
  'server/tasks/feature.ts',
  'node_modules/ajv-formats/dist/formats.js', // the first schema naming a `format`
  'node_modules/ajv/dist/core.js', // the first schema that is not plain (server/schema-ajv.ts)
  'server/schema-ajv.ts',
  'server/schema-dialects.ts',
  'server/uri-template.ts', // the first resources/read or subscribe reaching a template
  'server/completion-handler.ts', // the first completion/complete
  'server/prompt-get.ts', // the first prompts/get
  'transport/http/server-replay.ts', // the first GET with Last-Event-ID (legacy server)
  'transport/http/server-recovery.ts', // the first restore, or a store shared by instances
  'transport/http/server-task-repeats.ts',
  'server/http-close-connection.ts', // a handler made with closableConnections
  'transport/http/node-fetch-serve.ts', // the first request to a fetch-style handler on node:http (toNodeListener)
];

split('the server entry loads the 2026-07-28 era, tasks, ajv, formats, template matching, completions and prompts/get only behind import()', async () => {
  const server = await measureEntry('server');
  for (const file of LOADED_ON_FIRST_USE) {
    assert.not.ok(server.initialFiles.includes(file), `${file} loads at start`);
    assert.ok(server.lazyFiles.includes(file), `${file} is in no chunk behind import(): ${server.lazyFiles.join(', ')}`);
  }
  // What every request needs stays at start: no request waits for a load it always makes.
  for (const file of ['server/server.ts', 'server/tools.ts', 'server/validation.ts', 'server/schema-plain.ts', 'server/schema-plain-meta.ts', 'server/schema-plain-subset.ts', 'server/schema-plain-applicators.ts', 'server/schema-plain-arrays.ts', 'server/schema-checks.ts', 'transport/http/server.ts', 'transport/stdio/server.ts']) {
    assert.ok(server.initialFiles.includes(file), `${file} at start`);
  }
});

/**
 * What the server entry must not hold at all (session 9 cut them, issue #20 item 3; since
 * session 18 the rest of ajv loads only for a schema that is not plain): ajv's
 * `Ajv` and `Ajv2020` classes (server/schema-dialects.ts builds both dialects on ajv's core
 * without the `discriminator` keyword they load) and ajv-formats' limit keywords, which
 * require the whole `ajv` entry (server/schema-formats.ts has its own).
 */
const NEVER_IN_SERVER = [
  'node_modules/ajv/dist/ajv.js',
  'node_modules/ajv/dist/2020.js',
  'node_modules/ajv/dist/vocabularies/discriminator/index.js',
  'node_modules/ajv-formats/dist/limit.js',
];

split('the server entry holds neither ajv\'s dialect classes, nor its discriminator keyword, nor ajv-formats\' limit keywords, nor modules it imports nothing from', async () => {
  const server = await measureEntry('server');
  for (const file of NEVER_IN_SERVER) {
    assert.not.ok([...server.initialFiles, ...server.lazyFiles].includes(file), `${file} is in the server entry`);
  }
  // package.json `sideEffects: false`: modules the entry imports nothing from leave no constants behind.
  for (const file of ['server/skills/skills.ts', 'server/auth/discovery.ts', 'transport/event-store/file.ts', 'transport/event-store/log-records.ts', 'transport/task-store/cursor.ts']) {
    assert.not.ok([...server.initialFiles, ...server.lazyFiles].includes(file), `${file} is in the server entry`);
  }
  // The dialects' own parts stay, with ajv behind import(): both meta-schemas, and no part of ajv or fast-uri at start.
  for (const file of ['node_modules/ajv/dist/refs/json-schema-draft-07.json', 'node_modules/ajv/dist/refs/json-schema-2020-12/schema.json']) {
    assert.ok(server.lazyFiles.some((f) => f.startsWith(file)), `${file} behind import()`);
  }
  assert.not.ok(names(server.initialInputs).includes('ajv') || names(server.initialInputs).includes('fast-uri'), names(server.initialInputs).join(', '));
});

split('a stdio-only client loads neither undici nor ajv at start; both are in chunks behind import()', async () => {
  const client = await measureEntry('client-stdio');
  const initial = names(client.initialInputs);
  assert.ok(initial.includes('mcpwire/client'), initial.join(', '));
  assert.not.ok(initial.includes('undici'), `undici loads with the stdio client: ${initial.join(', ')}`);
  assert.not.ok(initial.includes('ajv'), `ajv loads with the stdio client: ${initial.join(', ')}`);
  assert.ok(names(client.lazyInputs).includes('ajv'), 'ajv is still there, behind import(), for output schemas');
});

split('a client that runs no task does not load the task client at start; createClient imports it on first use', async () => {
  const client = await measureEntry('client-stdio');
  // task-wait.ts: the waiting code; every client holds only task-changes.ts's status hub.
  for (const file of ['client/tasks.ts', 'client/task-wait.ts']) {
    assert.not.ok(client.initialFiles.includes(file), `${file} loads at start: ${client.initialFiles.join(', ')}`);
    assert.ok(client.lazyFiles.includes(file), client.lazyFiles.join(', '));
  }
});

split('a stdio-only client loads at most 80,000 bytes minified at start (issue #20\'s target)', async () => {
  const client = await measureEntry('client-stdio');
  assert.ok(client.initial.min <= 80_000, `${client.initial.min} B at start`);
});

split('a client that never listens does not load the listen loop at start; the first listen imports it', async () => {
  const client = await measureEntry('client-stdio');
  assert.not.ok(client.initialFiles.includes('client/modern-listen-run.ts'), `client/modern-listen-run.ts loads at start: ${client.initialFiles.join(', ')}`);
  assert.ok(client.lazyFiles.includes('client/modern-listen-run.ts'), client.lazyFiles.join(', '));
});

split('a client whose server never asks for input does not load the input rounds at start; the first input_required imports them', async () => {
  const client = await measureEntry('client-stdio');
  assert.not.ok(client.initialFiles.includes('client/modern-mrtr-rounds.ts'), `client/modern-mrtr-rounds.ts loads at start: ${client.initialFiles.join(', ')}`);
  assert.ok(client.lazyFiles.includes('client/modern-mrtr-rounds.ts'), client.lazyFiles.join(', '));
});

split('a client whose server writes only MCP does not load the stray-line reports at start; the first stray line imports them', async () => {
  const client = await measureEntry('client-stdio');
  assert.not.ok(client.initialFiles.includes('transport/stdio/stray-line.ts'), `transport/stdio/stray-line.ts loads at start: ${client.initialFiles.join(', ')}`);
  assert.ok(client.lazyFiles.includes('transport/stdio/stray-line.ts'), client.lazyFiles.join(', '));
});

split('the HTTP client entry loads undici only behind import(), from the transport', async () => {
  const client = await measureEntry('client-http');
  assert.not.ok(names(client.initialInputs).includes('undici'), names(client.initialInputs).join(', '));
  assert.ok(names(client.lazyInputs).includes('undici'), names(client.lazyInputs).join(', '));
});

split.run();
