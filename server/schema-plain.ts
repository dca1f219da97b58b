/**
 * A validator of our own for plain schemas (schema-plain-meta.ts: type, properties, required,
 * additionalProperties, items, enum, const, the numeric and length limits, format, annotations), so a
 * server whose schemas are plain never loads ajv (issue #20 item 3).
 *
 * It answers as the server's ajv engine does (schema-ajv.ts: `allErrors`, `strict: false`,
 * `ownProperties`), line for line: the same verdict, the same error lines in the same order
 * (ajv checks `type` first unless the schema has keywords of that one type's group, then
 * `const`, `enum`, then the number, string, array and object keywords), lengths counted in
 * code points, `integer` as ajv tests it (`!(x % 1)`), a property schema named `__proto__`
 * never applied (ajv drops it). test/schema-plain-differential.test.ts compares the two on
 * generated schemas and values.
 *
 * Each schema compiles to two functions: `test` (the verdict, nothing allocated) and
 * `collect` (the error lines, run only once `test` has failed).
 */
import { formatTest } from './schema-formats.ts';
import { isObject } from '../protocol/jsonrpc.ts';
import { escapePointer, jsonEqual } from './schema-plain-meta.ts';

type Collect = (value: unknown, path: string, out: string[]) => void;
interface Node { test(value: unknown): boolean; collect: Collect }

const ALWAYS: Node = { test: () => true, collect: () => {} };
const NEVER: Node = { test: () => false, collect: (_v, path, out) => { out.push(line(path, 'boolean schema is false')); } };

const line = (path: string, message: string): string => `${path === '' ? '(root)' : path}: ${message}`;

/** ajv's type tests with `strictNumbers` off. */
const TYPE_TESTS: Readonly<Record<string, (value: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => typeof v === 'number' && !((v as number) % 1) && !Number.isNaN(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  array: Array.isArray,
  object: isObject,
};

/** The keywords of each type group: with exactly that one `type`, ajv reports a wrong type where the group stands. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  number: ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'format'],
  string: ['maxLength', 'minLength', 'format'],
  array: ['maxItems', 'minItems', 'items'],
  object: ['required', 'additionalProperties', 'properties'],
};

/** Code points, as ajv's `ucs2length` counts them (a lone surrogate counts one). */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++, count++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return count;
}

type Rule = { test(value: unknown): boolean; collect: Collect };

/** Every rule passes (a loop, not `every`: this runs on every call, and makes no closure). */
function all(rules: readonly Rule[], value: unknown): boolean {
  for (let i = 0; i < rules.length; i++) if (!rules[i]!.test(value)) return false;
  return true;
}

/** A keyword whose failure is one line: `ok(value)` false means the error. */
function simple(ok: (value: unknown) => boolean, message: string): Rule {
  return { test: ok, collect: (v, path, out) => { if (!ok(v)) out.push(line(path, message)); } };
}

/** ajv's comparisons: the limit holds when this is true (NaN never holds). */
const LIMITS: ReadonlyArray<readonly [string, string, (data: number, limit: number) => boolean]> = [
  ['maximum', '<=', (d, l) => d <= l],
  ['minimum', '>=', (d, l) => d >= l],
  ['exclusiveMaximum', '<', (d, l) => d < l],
  ['exclusiveMinimum', '>', (d, l) => d > l],
];

function numberRules(schema: Record<string, unknown>): Rule[] {
  const rules: Rule[] = [];
  for (const [key, comparison, holds] of LIMITS) {
    const limit = schema[key];
    if (typeof limit === 'number') rules.push(simple((v) => holds(v as number, limit), `must be ${comparison} ${limit}`));
  }
  return rules;
}

function countRules(schema: Record<string, unknown>, noun: 'characters' | 'items', count: (v: unknown) => number): Rule[] {
  const rules: Rule[] = [];
  const max = schema[noun === 'items' ? 'maxItems' : 'maxLength'];
  const min = schema[noun === 'items' ? 'minItems' : 'minLength'];
  if (typeof max === 'number') rules.push(simple((v) => count(v) <= max, `must NOT have more than ${max} ${noun}`));
  if (typeof min === 'number') rules.push(simple((v) => count(v) >= min, `must NOT have fewer than ${min} ${noun}`));
  return rules;
}

function itemsRule(schema: Record<string, unknown>): Rule[] {
  if (!Object.hasOwn(schema, 'items')) return [];
  const items = compileNode(schema.items);
  if (items === ALWAYS) return [];
  return [{
    test: (v) => {
      for (let i = 0; i < (v as unknown[]).length; i++) if (!items.test((v as unknown[])[i])) return false;
      return true;
    },
    collect: (v, path, out) => { (v as unknown[]).forEach((item, i) => { if (!items.test(item)) items.collect(item, `${path}/${i}`, out); }); },
  }];
}

/** `required`, `additionalProperties`, `properties`, in ajv's order; only own properties count (ajv's `ownProperties`). */
function objectRules(schema: Record<string, unknown>): Rule[] {
  const rules: Rule[] = [];
  const present = (v: Record<string, unknown>, key: string) => Object.hasOwn(v, key) && v[key] !== undefined;
  if (Array.isArray(schema.required) && schema.required.length > 0) {
    const required = schema.required as string[];
    rules.push({
      test: (v) => {
        for (let i = 0; i < required.length; i++) if (!present(v as Record<string, unknown>, required[i]!)) return false;
        return true;
      },
      collect: (v, path, out) => {
        for (const key of required) if (!present(v as Record<string, unknown>, key)) out.push(line(path, `must have required property '${key}'`));
      },
    });
  }
  // ajv ignores a property schema named __proto__ (its `allSchemaProperties`).
  const names = isObject(schema.properties) ? Object.keys(schema.properties).filter((key) => key !== '__proto__') : [];
  if (Object.hasOwn(schema, 'additionalProperties')) {
    const known = new Set(names);
    const extra = compileNode(schema.additionalProperties);
    if (extra !== ALWAYS) {
      rules.push({
        test: (v) => {
          for (const key in v as object) if (!known.has(key) && !extra.test((v as Record<string, unknown>)[key])) return false;
          return true;
        },
        collect: (v, path, out) => {
          for (const key in v as object) {
            if (known.has(key)) continue;
            const value = (v as Record<string, unknown>)[key];
            if (extra === NEVER) out.push(`${line(path, 'must NOT have additional properties')} (${JSON.stringify(key)})`);
            else if (!extra.test(value)) extra.collect(value, `${path}/${escapePointer(key)}`, out);
          }
        },
      });
    }
  }
  const properties = names.map((key) => [key, compileNode((schema.properties as Record<string, unknown>)[key])] as const).filter(([, node]) => node !== ALWAYS);
  const keys = properties.map(([key]) => key);
  const nodes = properties.map(([, node]) => node);
  if (properties.length > 0) {
    rules.push({
      test: (v) => {
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          if (present(v as Record<string, unknown>, key) && !nodes[i]!.test((v as Record<string, unknown>)[key])) return false;
        }
        return true;
      },
      collect: (v, path, out) => {
        for (const [key, node] of properties) {
          const value = (v as Record<string, unknown>)[key];
          if (present(v as Record<string, unknown>, key) && !node.test(value)) node.collect(value, `${path}/${escapePointer(key)}`, out);
        }
      },
    });
  }
  return rules;
}

/** A group of rules applied when the value is of the group's type; else the deferred type error, if any. */
function group(is: (value: unknown) => boolean, rules: Rule[], typeError: string | undefined): Node | undefined {
  if (rules.length === 0) return undefined;
  return {
    test: (v) => (is(v) ? all(rules, v) : typeError === undefined),
    collect: (v, path, out) => {
      if (!is(v)) {
        if (typeError !== undefined) out.push(line(path, typeError));
        return;
      }
      for (const rule of rules) if (!rule.test(v)) rule.collect(v, path, out);
    },
  };
}

function compileNode(schema: unknown): Node {
  if (schema === false) return NEVER;
  if (!isObject(schema)) return ALWAYS; // true (anything else was refused by the meta-schema check)
  const parts: Node[] = [];
  const types = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type) as string[];
  const single = types?.length === 1 ? types[0]! : undefined;
  const deferred = single !== undefined && Object.hasOwn(GROUPS, single) && GROUPS[single]!.some((key) => Object.hasOwn(schema, key)) ? single : undefined;
  const typeError = types && `must be ${types.join(',')}`;
  if (types && !deferred) {
    const tests = types.map((t) => TYPE_TESTS[t]!);
    const is = tests.length === 1 ? tests[0]! : (v: unknown) => tests.some((test) => test(v));
    parts.push(simple(is, typeError!));
  }
  if (Object.hasOwn(schema, 'const')) {
    const allowed = schema.const;
    parts.push(simple((v) => jsonEqual(v, allowed), `must be equal to constant: ${JSON.stringify(allowed)}`));
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum;
    parts.push(simple((v) => values.some((allowed) => jsonEqual(v, allowed)),
      `must be equal to one of the allowed values: ${values.map((allowed) => JSON.stringify(allowed)).join(', ')}`));
  }
  // ajv applies a format to the values of its type only, after the group's other keywords.
  const format = typeof schema.format === 'string' ? formatTest(schema.format) : undefined;
  const formatRule = (type: string): Rule[] => (format?.type === type ? [simple((v) => format.test(v as string | number), `must match format "${schema.format as string}"`)] : []);
  const typed: Array<[string, Rule[]]> = [
    ['number', [...numberRules(schema), ...formatRule('number')]],
    ['string', [...countRules(schema, 'characters', (v) => codePoints(v as string)), ...formatRule('string')]],
    ['array', [...countRules(schema, 'items', (v) => (v as unknown[]).length), ...itemsRule(schema)]],
    ['object', objectRules(schema)],
  ];
  for (const [type, rules] of typed) {
    const node = group(TYPE_TESTS[type]!, rules, deferred === type ? typeError : undefined);
    if (node) parts.push(node);
    // With only keywords that are always valid (items: true...), the deferred type test remains.
    else if (deferred === type) parts.push(simple(TYPE_TESTS[type]!, typeError!));
  }
  if (parts.length === 0) return ALWAYS;
  if (parts.length === 1) return parts[0]!;
  return {
    test: (v) => all(parts, v),
    collect: (v, path, out) => { for (const part of parts) if (!part.test(v)) part.collect(v, path, out); },
  };
}

/**
 * Compile a plain schema that passed its meta-schema check: the verdict, and on failure the
 * error lines (duplicates dropped, at most `maxErrors`, then a line saying how many more).
 */
export function compilePlain(schema: object, maxErrors: number): (value: unknown) => true | string[] {
  const root = compileNode(schema);
  return (value) => {
    if (root.test(value)) return true;
    const out: string[] = [];
    root.collect(value, '', out);
    const lines = [...new Set(out)];
    return lines.length <= maxErrors ? lines : [...lines.slice(0, maxErrors), `... and ${lines.length - maxErrors} more errors`];
  };
}
