// `tools.eras-alike` (info): the tools a server lists in each era are compared by their
// definitions, not only their names; what one era alone defines (`execution`, `x-mcp-header`,
// `_meta`) and key order are no difference.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRecorder } from './findings.ts';
import { judgeEraListings } from './modern-tools-list.ts';
import type { Obj } from '../validate-schema-checks.ts';

const judged = suite('judgeEraListings');

function judge(legacy: Obj[], modern: Obj[]) {
  const rec = createRecorder({ only: ['tools.eras-alike'] });
  judgeEraListings(rec, legacy, modern);
  return rec.findings.map((f) => ({ line: `${f.outcome}: ${f.detail}`, exchange: f.exchange }));
}

const city = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

judged('fields one era alone defines, and key order, are no difference', () => {
  const legacy = [{ name: 'weather', description: 'The weather.', inputSchema: city, annotations: { readOnlyHint: true }, execution: { taskSupport: 'optional' }, _meta: { era: 'legacy' } }];
  const modern = [{ annotations: { readOnlyHint: true }, inputSchema: { required: ['city'], type: 'object', properties: { city: { 'x-mcp-header': 'City', type: 'string' } } }, description: 'The weather.', name: 'weather' }];
  assert.equal(judge(legacy, modern).map((f) => f.line), ['pass: both eras list the same 1 tool(s), defined alike (title, description, inputSchema, outputSchema, annotations, icons)']);
});

judged('a tool described otherwise, or with other annotations, in one era fails, naming the tool and the fields', () => {
  const legacy = [{ name: 'weather', description: 'The weather.', inputSchema: city, annotations: { readOnlyHint: true } }, { name: 'echo', inputSchema: { type: 'object' } }];
  const modern = [{ name: 'weather', description: 'Weather, now with forecasts.', inputSchema: city }, { name: 'echo', inputSchema: { type: 'object' } }];
  const [found, ...rest] = judge(legacy, modern);
  assert.equal(rest, []);
  assert.is(found!.line, 'fail: the eras list other tools (weather with another description and annotations): a client\'s tools differ by the protocol version it speaks');
  assert.equal(JSON.parse(found!.exchange!), {
    legacy: ['weather', 'echo'], modern: ['weather', 'echo'],
    changed: { name: 'weather', legacy: { description: 'The weather.', annotations: { readOnlyHint: true } }, modern: { description: 'Weather, now with forecasts.', annotations: null } },
  });
});

judged('names missing from one era and a schema changed in the other are said together', () => {
  const legacy = [{ name: 'a', inputSchema: { type: 'object' } }, { name: 'old', inputSchema: { type: 'object' } }];
  const modern = [{ name: 'a', inputSchema: { type: 'object', properties: { n: { type: 'number' } } } }];
  assert.equal(judge(legacy, modern).map((f) => f.line), ['fail: the eras list other tools (old only in the legacy era; a with another inputSchema): a client\'s tools differ by the protocol version it speaks']);
});

judged.run();
