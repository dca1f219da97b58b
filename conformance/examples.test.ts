// The spec's own example messages (2026-07-28/examples/<Type>/*.json) validate against
// $defs/<Type>, and a mechanically broken variant of each one does not: the tap can say no.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getValidator, hasDefinition, resolveDefinition, resolveSchemaDir, type JsonSchema } from './schema.ts';
import { validateAs } from './validate.ts';
import { isObject, type Obj } from './validate-schema-checks.ts';

const VERSION = '2026-07-28' as const;
/** Share of examples that must be falsified by a required/property mutation. */
const MIN_FALSIFIED_BY_SHAPE = 0.9;

interface Example {
  readonly type: string;
  readonly file: string;
  readonly value: unknown;
}

function loadExamples(): Example[] {
  const root = join(resolveSchemaDir(), VERSION, 'examples');
  const out: Example[] = [];
  for (const type of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, type)).filter((f) => f.endsWith('.json')).sort()) {
      out.push({ type, file, value: JSON.parse(readFileSync(join(root, type, file), 'utf8')) as unknown });
    }
  }
  return out;
}

/** `required` and `properties` of a definition, merged across $ref and anyOf/oneOf/allOf branches. */
function shapeOf(schema: JsonSchema, depth = 0): { required: string[]; properties: Map<string, JsonSchema> } {
  const required: string[] = [];
  const properties = new Map<string, JsonSchema>();
  const resolved = resolveDefinition(VERSION, schema);
  if (Array.isArray(resolved.required)) required.push(...(resolved.required as string[]));
  if (isObject(resolved.properties)) {
    for (const [k, v] of Object.entries(resolved.properties)) properties.set(k, v as JsonSchema);
  }
  if (depth < 4) {
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = resolved[key];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches as JsonSchema[]) {
        const inner = shapeOf(branch, depth + 1);
        for (const r of inner.required) if (!required.includes(r)) required.push(r);
        for (const [k, v] of inner.properties) if (!properties.has(k)) properties.set(k, v);
      }
    }
  }
  return { required, properties };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The JSON types a property schema accepts, or undefined when it does not say. */
function acceptedTypes(schema: JsonSchema): string[] | undefined {
  const resolved = resolveDefinition(VERSION, schema);
  if (typeof resolved.type === 'string') return [resolved.type];
  if (Array.isArray(resolved.type)) return resolved.type as string[];
  if ('const' in resolved) return [jsonType(resolved.const)];
  const branches = resolved.anyOf ?? resolved.oneOf;
  if (!Array.isArray(branches)) return undefined;
  const types = new Set<string>();
  for (const branch of branches as JsonSchema[]) {
    const inner = acceptedTypes(branch);
    if (inner === undefined) return undefined;
    for (const t of inner) types.add(t);
  }
  return [...types];
}

const WRONG_VALUES: readonly unknown[] = [12345.5, 'not-the-right-type', true, null, [], {}];

function wrongValueFor(schema: JsonSchema): unknown {
  const types = acceptedTypes(schema);
  if (types === undefined) return undefined;
  return WRONG_VALUES.find((v) => {
    const t = jsonType(v);
    return !types.includes(t) && !(t === 'integer' && types.includes('number'));
  });
}

type Mutation = { label: string; value: unknown };

/** Broken variants of `value`, read off the definition: drop a required key, mistype a property. */
function shapeMutations(type: string, value: unknown): Mutation[] {
  if (!isObject(value)) return [];
  const definition = resolveDefinition(VERSION, { $ref: `#/$defs/${type}` });
  const { required, properties } = shapeOf(definition);
  const out: Mutation[] = [];
  for (const key of required) {
    if (!(key in value)) continue;
    const copy = structuredClone(value);
    delete copy[key];
    out.push({ label: `without required "${key}"`, value: copy });
  }
  const present = [...properties.keys()].filter((k) => k in value);
  present.sort((a, b) => Number(required.includes(b)) - Number(required.includes(a)));
  // Map-like definitions (InputRequests) type their entries with additionalProperties.
  const extra = isObject(definition.additionalProperties) ? (definition.additionalProperties as JsonSchema) : undefined;
  if (extra !== undefined) for (const key of Object.keys(value)) if (!properties.has(key)) present.push(key);
  for (const key of present) {
    const schema = properties.get(key) ?? extra;
    const wrong = schema === undefined ? undefined : wrongValueFor(schema);
    if (wrong === undefined) continue;
    out.push({ label: `"${key}" set to ${JSON.stringify(wrong)}`, value: { ...structuredClone(value), [key]: wrong } });
  }
  return out;
}

function rootMutation(type: string): Mutation | undefined {
  const wrong = wrongValueFor(resolveDefinition(VERSION, { $ref: `#/$defs/${type}` }));
  return wrong === undefined ? undefined : { label: `replaced by ${JSON.stringify(wrong)}`, value: wrong };
}

const examples = loadExamples();

const Valid = suite('2026-07-28 examples validate against $defs/<Type>');

Valid('there are examples, and every folder names a definition', () => {
  assert.ok(examples.length >= 100, `only ${examples.length} examples found`);
  for (const e of examples) assert.ok(hasDefinition(VERSION, e.type), `no $defs/${e.type}`);
});

Valid('every example is valid', () => {
  const failures = examples
    .map((e) => ({ e, v: validateAs(VERSION, e.type, e.value) }))
    .filter((x) => x.v.length > 0)
    .map((x) => `${x.e.type}/${x.e.file}: ${x.v.map((v) => v.message).join(' | ')}`);
  assert.equal(failures, []);
});

Valid.run();

const Invalid = suite('a broken variant of each example fails');

Invalid('required/property mutations falsify the vast majority; the rest are counted', () => {
  let byShape = 0;
  const byRootOnly: string[] = [];
  const unfalsifiable: string[] = [];
  for (const e of examples) {
    const check = getValidator(VERSION, e.type);
    const broken = shapeMutations(e.type, e.value).find((m) => check(m.value).length > 0);
    if (broken) {
      byShape++;
      continue;
    }
    const root = rootMutation(e.type);
    if (root && check(root.value).length > 0) byRootOnly.push(`${e.type}/${e.file}`);
    else unfalsifiable.push(`${e.type}/${e.file}`);
  }
  console.log(
    `  examples: ${examples.length}; falsified by a required/property mutation: ${byShape}; ` +
      `only by a wrong root type: ${byRootOnly.length}${byRootOnly.length ? ` (${byRootOnly.join(', ')})` : ''}; ` +
      `accept anything: ${unfalsifiable.length}${unfalsifiable.length ? ` (${unfalsifiable.join(', ')})` : ''}`,
  );
  assert.ok(
    byShape / examples.length >= MIN_FALSIFIED_BY_SHAPE,
    `only ${byShape} of ${examples.length} examples have a failing required/property variant`,
  );
  assert.equal(unfalsifiable.length + byRootOnly.length + byShape, examples.length);
});

Invalid('a failing variant names the definition and where it broke', () => {
  const call = examples.find((e) => e.type === 'CallToolResult');
  assert.ok(call, 'a CallToolResult example exists');
  const broken = { ...(call.value as Obj), content: 'x' };
  const [first] = validateAs(VERSION, 'CallToolResult', broken);
  assert.ok(first, 'the variant fails');
  assert.is(first.definition, 'CallToolResult');
  assert.is(first.path, '/content');
  assert.match(first.detail, /must be array/);
});

Invalid('the mutations never touch the example itself', () => {
  for (const e of examples.slice(0, 20)) {
    const before = JSON.stringify(e.value);
    shapeMutations(e.type, e.value);
    validateAs(VERSION, e.type, e.value);
    assert.is(JSON.stringify(e.value), before, `${e.type}/${e.file} changed`);
  }
});

Invalid.run();
