/**
 * The `format` checks of ajv-formats (full mode), with their code (ajv-formats/dist/formats.js,
 * ~8 KB of a bundle) loaded by `import()` when the first schema that names a format compiles
 * (issue #20 item 3): a server whose schemas use no `format` never loads it.
 *
 * A schema still compiles at once, so a bad schema is refused when it is registered: ajv knows
 * every format by a stand-in of the same kind (string or number, with `compare` where
 * formatMinimum and friends need one) whose checks call the real ones. A check made before the
 * real ones have loaded cannot wait (a validator is synchronous), so it throws
 * MCP_ERR_VALIDATION; the server awaits {@link formatsPending} before checking
 * (schema-standard.ts).
 */
import type { Format, FormatDefinition, FuncKeywordDefinition } from 'ajv/dist/core.js';
import type { DataValidateFunction } from 'ajv/dist/types/index.js';
import { LocalErrorCode, McpError } from '../protocol/errors.ts';
import { loadOnce } from '../protocol/load-once.ts';
import type { SchemaEngine } from './schema-dialects.ts';

/** ajv-formats 3's formats: `number` ones apply to numbers, `compare` ones to formatMinimum etc. (schema-formats.test.ts checks this list against the module). */
export const FORMAT_KINDS: Readonly<Record<string, 'string' | 'compare' | 'number' | 'any'>> = {
  date: 'compare', time: 'compare', 'date-time': 'compare', 'iso-time': 'compare', 'iso-date-time': 'compare',
  duration: 'string', uri: 'string', 'uri-reference': 'string', 'uri-template': 'string', url: 'string', email: 'string',
  hostname: 'string', ipv4: 'string', ipv6: 'string', regex: 'string', uuid: 'string', 'json-pointer': 'string',
  'json-pointer-uri-fragment': 'string', 'relative-json-pointer': 'string', byte: 'string',
  int32: 'number', int64: 'number', float: 'number', double: 'number',
  // Known, never checked (ajv-formats declares them `true`).
  password: 'any', binary: 'any',
};

type Formats = Record<string, Format>;
const formats = loadOnce(() => import('ajv-formats/dist/formats.js'), (module) => {
  // CommonJS: the named export, or under `default` depending on the loader.
  const mod = module as unknown as { fullFormats?: Formats; default?: { fullFormats?: Formats } };
  const full = mod.fullFormats ?? mod.default?.fullFormats;
  if (!full) throw new Error('ajv-formats/dist/formats.js has no fullFormats');
  return full;
});

/** Load the real formats; a failed load is forgotten, so the next call tries again. */
export async function loadFormats(): Promise<void> {
  await formats.load();
}

/** Undefined when the formats are loaded, else the load to await before a check. */
export function formatsPending(): Promise<void> | undefined {
  return formats.loaded ? undefined : loadFormats();
}

/** The real format `name`, or MCP_ERR_VALIDATION when it is not loaded yet. */
function real(name: string): Format {
  const format = formats.loaded?.[name];
  if (format === undefined) {
    throw new McpError(LocalErrorCode.Validation, `JSON Schema format "${name}" is not loaded yet: await the validator's pending formats before checking`);
  }
  return format;
}

function check(name: string, data: string | number): boolean {
  const format = real(name);
  if (format instanceof RegExp) return format.test(String(data));
  if (typeof format === 'function') return format(String(data));
  if (typeof format === 'object') {
    const validate = format.validate;
    return validate instanceof RegExp ? validate.test(String(data)) : (validate as (d: string | number) => boolean)(data);
  }
  return true;
}

function compare(name: string, a: string, b: string): number | undefined {
  const format = real(name) as FormatDefinition<string>;
  return format.compare?.(a, b);
}

/**
 * The check ajv makes for `format: name` (the plain validator, schema-plain.ts): applied to
 * strings, or to numbers for the number formats; undefined when nothing is checked (a format
 * ajv-formats does not know, or declares `true`). Throws like the stand-ins until loaded.
 */
export function formatTest(name: string): { type: 'string' | 'number'; test: (data: string | number) => boolean } | undefined {
  const kind = Object.hasOwn(FORMAT_KINDS, name) ? FORMAT_KINDS[name] : undefined;
  if (kind === undefined || kind === 'any') return undefined;
  return { type: kind === 'number' ? 'number' : 'string', test: (data) => check(name, data) };
}

/** The stand-in of format `name`: same kind as the real one, checks by the real one. */
function standIn(name: string, kind: 'string' | 'compare' | 'number' | 'any'): Format {
  if (kind === 'any') return true;
  if (kind === 'number') return { type: 'number', validate: (data: number) => check(name, data) };
  if (kind === 'compare') return { validate: (data: string) => check(name, data), compare: (a: string, b: string) => compare(name, a, b) as number };
  return { validate: (data: string) => check(name, data) };
}

/**
 * formatMinimum, formatMaximum and their exclusive forms (the keywords ajv-formats adds): a
 * string must compare to the limit as the keyword says, by its format's `compare`. Each fails
 * when the order is on its wrong side; a value the format cannot order (`compare` answers
 * undefined) fails none. Written here rather than taken from ajv-formats/dist/limit.js, which
 * requires the whole `ajv` entry (its draft-07 class and the `discriminator` keyword, ~5 KB of
 * a bundle) for one helper class.
 */
const LIMITS: Readonly<Record<string, readonly [comparison: string, fails: (order: number) => boolean]>> = {
  formatMaximum: ['<=', (order) => order > 0],
  formatMinimum: ['>=', (order) => order < 0],
  formatExclusiveMaximum: ['<', (order) => order >= 0],
  formatExclusiveMinimum: ['>', (order) => order <= 0],
};

function limitKeyword(keyword: string, comparison: string, fails: (order: number) => boolean): FuncKeywordDefinition {
  return {
    keyword, type: 'string', schemaType: 'string', dependencies: ['format'],
    compile(limit: string, parent) {
      const name: unknown = parent.format;
      const kind = typeof name === 'string' && Object.hasOwn(FORMAT_KINDS, name) ? FORMAT_KINDS[name] : undefined;
      if (kind === undefined || kind === 'any') return () => true; // an unknown format checks nothing, as ajv's `format` itself
      if (kind !== 'compare') throw new Error(`"${keyword}": format "${String(name)}" does not define "compare" function`);
      const check: DataValidateFunction = (data) => {
        const order = compare(name as string, data as string, limit);
        if (order === undefined || !fails(order)) return true;
        // A new error object each time: ajv writes the failure's paths into it.
        check.errors = [{ keyword, message: `should be ${comparison} ${limit}`, params: { comparison, limit } }];
        return false;
      };
      return check;
    },
  };
}

/** Teach `ajv` every format and the formatMinimum / formatMaximum keywords (what ajv-formats' plugin does). */
export function addFormats(ajv: SchemaEngine): void {
  for (const [name, kind] of Object.entries(FORMAT_KINDS)) ajv.addFormat(name, standIn(name, kind));
  for (const [keyword, [comparison, fails]] of Object.entries(LIMITS)) ajv.addKeyword(limitKeyword(keyword, comparison, fails));
}
