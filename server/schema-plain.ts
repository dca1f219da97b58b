/**
 * A validator of our own for plain schemas (schema-plain-subset.ts), so a server whose schemas
 * are plain never loads ajv (issue #20 item 3).
 *
 * It answers as the server's ajv engine does (schema-ajv.ts: `allErrors`, `strict: false`,
 * `ownProperties`), line for line: the same verdict, the same error lines in the same order
 * (ajv checks `type` first unless the schema has keywords of that one type's group, then
 * `$ref`, `const`, `enum`, `not`, `anyOf`, `oneOf`, `allOf`, `if`, then the number, string,
 * array and object keywords), lengths counted in code points, `integer` as ajv tests it
 * (`!(x % 1)`), patterns with the `u` flag, a property schema named `__proto__` never applied
 * (ajv drops it). It refuses what ajv refuses as it compiles (an empty `enum`, a `pattern`
 * that does not compile), in the order ajv compiles, which is the order above, a reference's
 * definition where the reference stands (a definition nothing references is not compiled).
 * test/schema-plain-differential.test.ts compares the two on generated schemas and values.
 * What a schema compiles to: schema-plain-node.ts; `$ref`, `not`, `if` and the lists of
 * subschemas: schema-plain-applicators.ts; `items`, `contains`, `uniqueItems`:
 * schema-plain-arrays.ts.
 */
import { formatTest } from './schema-formats.ts';
import { VALID, type ValidationResult } from './schema-result.ts';
import { isObject } from '../protocol/jsonrpc.ts';
import type { Dialect } from './schema-dialect-names.ts';
import { applicatorRules, createContext, type Context } from './schema-plain-applicators.ts';
import { arrayRules } from './schema-plain-arrays.ts';
import { jsonEqual } from '../protocol/json-equal.ts';
import { escapePointer } from './schema-plain-meta.ts';
import { all, ALWAYS, line, NEVER, simple, type Node, type Rule } from './schema-plain-node.ts';

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

const isType = (type: string, value: unknown): boolean => TYPE_TESTS[type]!(value);

/** The keywords of each type group: with exactly that one `type`, ajv reports a wrong type where the group stands. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  number: ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'format'],
  string: ['maxLength', 'minLength', 'pattern', 'format'],
  array: ['maxItems', 'minItems', 'contains', 'uniqueItems', 'prefixItems', 'items', 'maxContains', 'minContains'],
  object: ['maxProperties', 'minProperties', 'required', 'propertyNames', 'additionalProperties', 'properties', 'patternProperties'],
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
  // ajv's test without `multipleOfPrecision`: the quotient survives parseInt (so 1e21 / 1 fails, as in ajv).
  const step = schema.multipleOf;
  if (typeof step === 'number') {
    rules.push(simple((v) => {
      const quotient = (v as number) / step;
      return quotient === parseInt(String(quotient));
    }, `must be multiple of ${step}`));
  }
  return rules;
}

/** `pattern`, compiled as ajv compiles it (throws ajv's SyntaxError when it does not compile). */
function patternRule(schema: Record<string, unknown>): Rule[] {
  const pattern = schema.pattern;
  if (typeof pattern !== 'string') return [];
  const rx = new RegExp(pattern, 'u');
  return [simple((v) => rx.test(v as string), `must match pattern "${pattern}"`)];
}

function countRules(schema: Record<string, unknown>, noun: 'characters' | 'items', count: (v: unknown) => number): Rule[] {
  const rules: Rule[] = [];
  const max = schema[noun === 'items' ? 'maxItems' : 'maxLength'];
  const min = schema[noun === 'items' ? 'minItems' : 'minLength'];
  if (typeof max === 'number') rules.push(simple((v) => count(v) <= max, `must NOT have more than ${max} ${noun}`));
  if (typeof min === 'number') rules.push(simple((v) => count(v) >= min, `must NOT have fewer than ${min} ${noun}`));
  return rules;
}

/**
 * `maxProperties`, `minProperties`, `required`, `propertyNames`, `additionalProperties`,
 * `properties`, `patternProperties`, in ajv's order; only own properties count (ajv's
 * `ownProperties`; `Object.keys` for the counts, as ajv).
 */
function objectRules(schema: Record<string, unknown>, cx: Context): Rule[] {
  const rules: Rule[] = [];
  const { maxProperties: max, minProperties: min } = schema;
  if (typeof max === 'number') rules.push(simple((v) => Object.keys(v as object).length <= max, `must NOT have more than ${max} properties`));
  if (typeof min === 'number') rules.push(simple((v) => Object.keys(v as object).length >= min, `must NOT have fewer than ${min} properties`));
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
  if (Object.hasOwn(schema, 'propertyNames')) {
    const keyNode = cx.compile(schema.propertyNames);
    // A name that fails: its lines (at the object's path), then ajv's own line.
    if (keyNode !== ALWAYS) {
      rules.push({
        test: (v) => {
          for (const key in v as object) if (!keyNode.test(key)) return false;
          return true;
        },
        collect: (v, path, out) => {
          for (const key in v as object) {
            if (keyNode.test(key)) continue;
            keyNode.collect(key, path, out);
            out.push(line(path, 'property name must be valid'));
          }
        },
      });
    }
  }
  // ajv ignores a property schema, and a pattern, named __proto__ (its `allSchemaProperties`).
  const names = ownNames(schema.properties);
  const patterns = ownNames(schema.patternProperties);
  const regExps = patterns.map((pattern) => new RegExp(pattern, 'u')); // each compiles (schema-plain-subset.ts)
  if (Object.hasOwn(schema, 'additionalProperties')) {
    const known = new Set(names);
    // Without patterns, the test of the old subset (no closure over an empty list per property).
    const additional = regExps.length === 0 ? (key: string) => !known.has(key) : (key: string) => !known.has(key) && !regExps.some((rx) => rx.test(key));
    const extra = compileNode(schema.additionalProperties, cx);
    if (extra !== ALWAYS) {
      rules.push({
        test: (v) => {
          for (const key in v as object) if (additional(key) && !extra.test((v as Record<string, unknown>)[key])) return false;
          return true;
        },
        collect: (v, path, out) => {
          for (const key in v as object) {
            if (!additional(key)) continue;
            const value = (v as Record<string, unknown>)[key];
            if (extra === NEVER) out.push(`${line(path, 'must NOT have additional properties')} (${JSON.stringify(key)})`);
            else if (!extra.test(value)) extra.collect(value, `${path}/${escapePointer(key)}`, out);
          }
        },
      });
    }
  }
  const properties = names.map((key) => [key, compileNode((schema.properties as Record<string, unknown>)[key], cx)] as const).filter(([, node]) => node !== ALWAYS);
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
  const matched = patterns.map((pattern, i) => [regExps[i]!, compileNode((schema.patternProperties as Record<string, unknown>)[pattern], cx)] as const).filter(([, node]) => node !== ALWAYS);
  if (matched.length > 0) {
    // Each pattern in turn, over every property it matches (a property in `properties` too).
    rules.push({
      test: (v) => {
        for (const [rx, node] of matched) for (const key in v as object) if (rx.test(key) && !node.test((v as Record<string, unknown>)[key])) return false;
        return true;
      },
      collect: (v, path, out) => {
        for (const [rx, node] of matched) {
          for (const key in v as object) {
            const value = (v as Record<string, unknown>)[key];
            if (rx.test(key) && !node.test(value)) node.collect(value, `${path}/${escapePointer(key)}`, out);
          }
        }
      },
    });
  }
  return rules;
}

/** The names of a `properties` or `patternProperties` map that ajv applies: all but `__proto__`. */
const ownNames = (map: unknown): string[] => (isObject(map) ? Object.keys(map).filter((key) => key !== '__proto__') : []);

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

/** Compile one subschema; `cx` holds the references compiled so far. */
function compileNode(schema: unknown, cx: Context): Node {
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
  if (typeof schema.$ref === 'string') parts.push(cx.ref(schema.$ref));
  if (Object.hasOwn(schema, 'const')) {
    const allowed = schema.const;
    parts.push(simple((v) => jsonEqual(v, allowed), `must be equal to constant: ${JSON.stringify(allowed)}`));
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum;
    if (values.length === 0) throw new Error('enum must have non-empty array'); // ajv's compile error
    parts.push(simple((v) => values.some((allowed) => jsonEqual(v, allowed)),
      `must be equal to one of the allowed values: ${values.map((allowed) => JSON.stringify(allowed)).join(', ')}`));
  }
  parts.push(...applicatorRules(schema, cx));
  // ajv applies a format to the values of its type only, after the group's other keywords.
  const format = typeof schema.format === 'string' ? formatTest(schema.format) : undefined;
  const formatRule = (type: string): Rule[] => (format?.type === type ? [simple((v) => format.test(v as string | number), `must match format "${schema.format as string}"`)] : []);
  const typed: Array<[string, Rule[]]> = [
    ['number', [...numberRules(schema), ...formatRule('number')]],
    ['string', [...countRules(schema, 'characters', (v) => codePoints(v as string)), ...patternRule(schema), ...formatRule('string')]],
    ['array', [...countRules(schema, 'items', (v) => (v as unknown[]).length), ...arrayRules(schema, cx, isType)]],
    ['object', objectRules(schema, cx)],
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
 * Compile a plain schema that passed its meta-schema check: the result, on failure with the
 * error lines (duplicates dropped, at most `maxErrors`, then a line saying how many more).
 * Throws an Error with ajv's message for what ajv refuses as it compiles. The validator's own
 * function, with no wrapper: a tiny function run once a call reaches TurboFan late (bench h:
 * after 8,000 calls), and the wrapper was a second one.
 */
export function compilePlain(schema: Record<string, unknown>, dialect: Dialect, maxErrors: number): (value: unknown) => ValidationResult {
  const root = compileNode(schema, createContext(schema, dialect, compileNode));
  return (value) => (root.test(value) ? VALID : { ok: false, errors: errorLines(root, value, maxErrors) });
}

/** Why `value` failed `root`: its lines, duplicates dropped, at most `maxErrors` and a count of the rest. */
function errorLines(root: Node, value: unknown, maxErrors: number): string[] {
  const out: string[] = [];
  root.collect(value, '', out);
  const lines = [...new Set(out)];
  return lines.length <= maxErrors ? lines : [...lines.slice(0, maxErrors), `... and ${lines.length - maxErrors} more errors`];
}
