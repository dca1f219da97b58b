/**
 * The plain validator's array keywords after `maxItems` / `minItems` (schema-plain.ts), in the
 * order ajv runs them: `prefixItems`, `items`, `contains` (with `minContains` / `maxContains`),
 * `uniqueItems` (2020-12 applicator and validation vocabularies), each with ajv's lines.
 * Applied only to arrays (the caller's type group).
 */
import { jsonEqual } from '../protocol/json-equal.ts';
import { ALWAYS, line, NEVER, simple, type Node, type Rule } from './schema-plain-node.ts';
import { alwaysValid } from './schema-plain-subset.ts';
import type { Context } from './schema-plain-applicators.ts';

/**
 * `contains`: at least `minContains` (default 1) and at most `maxContains` items pass it
 * (2020-12 validation: minContains, maxContains; draft-07 only "at least one", and
 * schema-plain-subset.ts keeps its unknown min/max out of the plain subset). As ajv: with
 * `minContains: 0` and no maximum nothing is compiled; with min > max every array fails and
 * nothing is compiled; an always valid `contains` counts the items. A failed `contains` reports
 * the lines of each item that failed it up to where ajv stops looking (the item that meets the
 * minimum, or the one past the maximum), then its own line.
 */
function containsRule(schema: Record<string, unknown>, cx: Context): Rule | undefined {
  if (!Object.hasOwn(schema, 'contains')) return undefined;
  const min = typeof schema.minContains === 'number' && cx.dialect === '2020-12' ? schema.minContains : 1;
  const max = typeof schema.maxContains === 'number' && cx.dialect === '2020-12' ? schema.maxContains : undefined;
  const message = max === undefined ? `must contain at least ${min} valid item(s)` : `must contain at least ${min} and no more than ${max} valid item(s)`;
  if (max === undefined && min === 0) return undefined;
  if (max !== undefined && min > max) return simple(() => false, message);
  if (alwaysValid(schema.contains)) {
    return simple((v) => (v as unknown[]).length >= min && (max === undefined || (v as unknown[]).length <= max), message);
  }
  const node = cx.compile(schema.contains);
  /** ajv's loop: counts passing items, stops once the minimum is met (no maximum) or the maximum passed. */
  const scan = (items: unknown[], path: string, out: string[] | undefined): boolean => {
    let valid = min === 0;
    let count = 0;
    for (let i = 0; i < items.length; i++) {
      if (!node.test(items[i])) {
        if (out) node.collect(items[i], `${path}/${i}`, out);
        continue;
      }
      count++;
      if (max === undefined) {
        if (count >= min) return true;
      } else if (count > max) {
        return false;
      } else if (count >= min) {
        valid = true;
      }
    }
    return valid;
  };
  return {
    test: (v) => scan(v as unknown[], '', undefined),
    collect: (v, path, out) => {
      const lines: string[] = [];
      if (scan(v as unknown[], path, lines)) return;
      out.push(...lines, line(path, message));
    },
  };
}

/** The types `items` declares, as ajv's `uniqueItems` reads them (none when `items` is absent, boolean or untyped). */
function itemTypes(items: unknown): string[] {
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return [];
  const type = (items as Record<string, unknown>).type;
  return type === undefined ? [] : ([] as unknown[]).concat(type) as string[];
}

/**
 * `uniqueItems: true`: the first pair of equal items, named as ajv names it. ajv has two
 * loops, and they name different pairs: when `items` declares only scalar types, a map from the
 * last item back (items not of those types skipped), naming the later index first; otherwise
 * each item from the last back against every earlier one, naming the earlier index first.
 * Equality is JSON equality (schema-plain-meta.ts), as for `const` and `enum`; where ajv's
 * differs (its map is a plain object, so two `"__proto__"` strings never collide; its deep
 * equality reads `constructor`, `valueOf` and `toString` through the items) the plain check
 * answers by JSON equality (bench/README.md, session 20).
 */
function uniqueRule(schema: Record<string, unknown>, isType: (type: string, value: unknown) => boolean): Rule | undefined {
  if (schema.uniqueItems !== true) return undefined;
  const types = itemTypes(schema.items);
  const byMap = types.length > 0 && !types.includes('object') && !types.includes('array');
  /** The pair ajv names, [first, second] as its message prints them, or undefined when the items are unique. */
  const duplicate = byMap
    ? (items: unknown[]): [number, number] | undefined => {
      const indices = new Map<unknown, number>();
      for (let i = items.length; i--;) {
        const item = items[i];
        if (!types.some((type) => isType(type, item))) continue;
        const j = indices.get(item);
        if (j !== undefined) return [j, i];
        indices.set(item, i);
      }
      return undefined;
    }
    : (items: unknown[]): [number, number] | undefined => {
      for (let i = items.length; i--;) for (let j = i; j--;) if (jsonEqual(items[i], items[j])) return [j, i];
      return undefined;
    };
  return {
    test: (v) => duplicate(v as unknown[]) === undefined,
    collect: (v, path, out) => {
      const pair = duplicate(v as unknown[]);
      if (pair) out.push(line(path, `must NOT have duplicate items (items ## ${pair[0]} and ${pair[1]} are identical)`));
    },
  };
}

/** Each item from index `from` on passes `items`. */
function itemsFrom(items: Node, from: number): Rule {
  return {
    test: (v) => {
      for (let i = from; i < (v as unknown[]).length; i++) if (!items.test((v as unknown[])[i])) return false;
      return true;
    },
    collect: (v, path, out) => {
      for (let i = from; i < (v as unknown[]).length; i++) {
        const item = (v as unknown[])[i];
        if (!items.test(item)) items.collect(item, `${path}/${i}`, out);
      }
    },
  };
}

/** `prefixItems` (2020-12: the first items, one schema each), then `items` (the items after those). */
function itemsRules(schema: Record<string, unknown>, cx: Context): Rule[] {
  const rules: Rule[] = [];
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems.map(cx.compile) : [];
  if (prefix.some((node) => node !== ALWAYS)) {
    rules.push({
      test: (v) => {
        for (let i = 0; i < prefix.length && i < (v as unknown[]).length; i++) if (!prefix[i]!.test((v as unknown[])[i])) return false;
        return true;
      },
      collect: (v, path, out) => {
        for (let i = 0; i < prefix.length && i < (v as unknown[]).length; i++) {
          const item = (v as unknown[])[i];
          if (!prefix[i]!.test(item)) prefix[i]!.collect(item, `${path}/${i}`, out);
        }
      },
    });
  }
  if (!Object.hasOwn(schema, 'items')) return rules;
  const items = cx.compile(schema.items);
  if (items === ALWAYS) return rules;
  const count = prefix.length;
  // After a prefix, `items: false` is one line, as ajv's `additionalItems` says it.
  rules.push(count > 0 && items === NEVER ? simple((v) => (v as unknown[]).length <= count, `must NOT have more than ${count} items`) : itemsFrom(items, count));
  return rules;
}

/**
 * `prefixItems`, `items`, `contains`, `uniqueItems`, compiled and run in this order: ajv's, whose
 * applicator keywords each go before `uniqueItems`. `isType` is the validator's type test.
 */
export function arrayRules(schema: Record<string, unknown>, cx: Context, isType: (type: string, value: unknown) => boolean): Rule[] {
  const rules = itemsRules(schema, cx);
  const contains = containsRule(schema, cx);
  if (contains) rules.push(contains);
  const unique = uniqueRule(schema, isType);
  if (unique) rules.push(unique);
  return rules;
}
