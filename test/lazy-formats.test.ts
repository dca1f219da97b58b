// ajv-formats' checks load with import() on the first schema that names a format (issue #20
// item 3, server/schema-formats.ts). test/run.js runs each file in a process of its own, so
// the first test here runs before the formats were ever loaded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'mcpwire/server';
import { createSchemaValidator } from '../server/validation.ts';
import { prepareSchema } from '../server/schema-standard.ts';
import { FORMAT_KINDS, formatsPending } from '../server/schema-formats.ts';
import { connectClient } from './memory-client.ts';

const emailSchema = { type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['email'] };

const first = suite('formats: loaded on the first schema that names one');

first('a server check made while the formats load waits for them; a direct check says they are not loaded yet', async () => {
  // All in one tick: the load the first compile starts cannot have finished.
  const prepared = prepareSchema(emailSchema, 'input', 'test', createSchemaValidator());
  const bad = prepared.check({ email: 'nope' });
  const good = prepared.check({ email: 'a@example.com' });
  const direct = createSchemaValidator().compile(emailSchema);
  const thrown = (() => { try { direct({ email: 'nope' }); return undefined; } catch (e) { return e as { code?: string; message: string }; } })();
  assert.instance(bad, Promise, 'the first check waits for the load');
  assert.is(thrown?.code, 'MCP_ERR_VALIDATION');
  assert.match(thrown?.message ?? '', 'format "email" is not loaded yet');
  assert.equal(await bad, { ok: false, errors: ['/email: must match format "email"'] });
  assert.equal(await good, { ok: true, value: { email: 'a@example.com' } });
  assert.is(direct.pending?.(), undefined, 'loaded: nothing pending');
  assert.equal(direct({ email: 'nope' }), { ok: false, errors: ['/email: must match format "email"'] });
  assert.not.instance(prepared.check({ email: 'nope' }), Promise, 'once loaded, checks are synchronous again');
});

first('a bad schema naming a format is still refused when the tool is registered', () => {
  const server = createServer({ name: 't', version: '1' });
  assert.throws(() => server.tool({ name: 'bad', inputSchema: { type: 'object', properties: { d: { type: 'string', format: 'date', minLength: 'x' } } } }, () => 'x'),
    (e: { code?: string; message: string }) => e.code === 'MCP_ERR_VALIDATION' && e.message.includes('minLength'));
});

const same = suite('formats: the same checks as ajv-formats');

same('a tool call checks formats, number formats and formatMinimum (compare) as before', async () => {
  const server = createServer({ name: 't', version: '1' });
  server.tool({
    name: 'book',
    inputSchema: {
      type: 'object',
      properties: { when: { type: 'string', format: 'date', formatMinimum: '2026-01-01' }, n: { type: 'number', format: 'int32' }, id: { type: 'string', format: 'uuid' } },
      required: ['when'],
    },
  }, () => 'booked');
  const c = await connectClient(server);
  const ok = await c.client.callTool('book', { when: '2026-05-01', n: 3, id: '123e4567-e89b-12d3-a456-426614174000' });
  assert.equal(ok.content, [{ type: 'text', text: 'booked' }]);
  const bad = await c.client.callTool('book', { when: '2025-05-01', n: 2 ** 40, id: 'x' }).catch((e: Error) => e);
  const text = bad instanceof Error ? bad.message : bad.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  assert.ok(!(bad instanceof Error) && bad.isError === true, 'a tool error result');
  for (const expected of ['/when: should be >= 2026-01-01', '/n: must match format "int32"', '/id: must match format "uuid"']) assert.ok(text.includes(expected), `${expected} in ${text}`);
  await c.close();
});

same('the stand-ins name every format of ajv-formats, of the same kind', async () => {
  const { fullFormats, formatNames } = await import('ajv-formats/dist/formats.js') as unknown as { fullFormats: Record<string, unknown>; formatNames: string[] };
  assert.equal(Object.keys(FORMAT_KINDS).sort(), [...formatNames].sort());
  for (const name of formatNames) {
    const real = fullFormats[name] as { type?: string; compare?: unknown } | boolean;
    const kind = real === true ? 'any' : typeof real === 'object' && !(real instanceof RegExp) && real.type === 'number' ? 'number'
      : typeof real === 'object' && !(real instanceof RegExp) && typeof real.compare === 'function' ? 'compare' : 'string';
    assert.is(FORMAT_KINDS[name], kind, name);
  }
});

first.run();
same.run();
