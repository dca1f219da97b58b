/**
 * Form fields from a JSON Schema: the flat schemas of elicitation forms (2025-11-25
 * client/elicitation: PrimitiveSchemaDefinition: string, number, integer, boolean, single- and
 * multi-select enums, titled or not) and the wider input schemas of tools. Each field knows
 * how to read what a person typed, check it, and describe itself in one prompt line.
 */
import { HOST_FILLS_NOTE, hostFills } from './call-args.ts';

/** How a field's answer is typed. `list` is a comma list of primitives, `json` any other shape. */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'multi' | 'list' | 'json';

export interface FieldOption {
  value: string;
  label: string;
}

export interface FormField {
  name: string;
  /** The schema's title, else the property name. */
  title: string;
  description: string | undefined;
  kind: FieldKind;
  required: boolean;
  /** The schema's default, when it has one. */
  default: unknown;
  hasDefault: boolean;
  /** `default` is the person's earlier answer (editing a form): shown as `[now: X]`, Enter keeps it. */
  earlier?: boolean;
  /** Choices of `enum` and `multi` fields. */
  options: FieldOption[];
  /** Element type of a `list` field. */
  itemKind: 'string' | 'number' | 'integer' | 'boolean';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** What reading an answer gave: a value, nothing (leave the field out), or why it is wrong. */
export type Parsed = { ok: true; value: unknown; omitted: boolean } | { ok: false; message: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Choices from `enum` (+ legacy `enumNames`) or from `oneOf`/`anyOf` of `{ const, title }`. */
function optionsOf(schema: Json): FieldOption[] | undefined {
  if (Array.isArray(schema.enum)) {
    const names = Array.isArray(schema.enumNames) ? schema.enumNames : [];
    return schema.enum.map((v, i) => ({ value: String(v), label: typeof names[i] === 'string' ? names[i] as string : String(v) }));
  }
  const list = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (list && list.length > 0 && list.every((o) => isObject(o) && 'const' in o)) {
    return list.map((o) => {
      const item = o as Json;
      return { value: String(item.const), label: str(item.title) ?? String(item.const) };
    });
  }
  return undefined;
}

function primaryType(schema: Json): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

/** One field from one property schema. */
export function fieldFromSchema(name: string, raw: unknown, required: boolean): FormField {
  const schema = isObject(raw) ? raw : {};
  const type = primaryType(schema);
  const field: FormField = {
    name, title: str(schema.title) ?? name, description: str(schema.description), kind: 'json', required,
    default: schema.default, hasDefault: 'default' in schema, options: [], itemKind: 'string',
  };
  const copy = (key: 'minLength' | 'maxLength' | 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum' | 'minItems' | 'maxItems') => {
    const v = num(schema[key]);
    if (v !== undefined) field[key] = v;
  };
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems'] as const) copy(key);
  if (typeof schema.pattern === 'string') field.pattern = schema.pattern;
  if (typeof schema.format === 'string') field.format = schema.format;
  const options = optionsOf(schema);
  if (options && type !== 'array') {
    field.kind = 'enum';
    field.options = options;
  } else if (type === 'array') {
    const items = isObject(schema.items) ? schema.items : {};
    const itemOptions = optionsOf(items);
    const itemType = primaryType(items);
    if (itemOptions) {
      field.kind = 'multi';
      field.options = itemOptions;
    } else if (itemType === 'string' || itemType === 'number' || itemType === 'integer' || itemType === 'boolean') {
      field.kind = 'list';
      field.itemKind = itemType;
    }
  } else if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') {
    field.kind = type;
  }
  return field;
}

/** The fields of an object schema, in property order. */
export function fieldsFromSchema(schema: unknown): FormField[] {
  const s = isObject(schema) ? schema : {};
  const props = isObject(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(props).map(([name, prop]) => fieldFromSchema(name, prop, required.has(name)));
}

const TRUE = new Set(['y', 'yes', 'true', 't', '1', 'on']);
const FALSE = new Set(['n', 'no', 'false', 'f', '0', 'off']);

/** Pick one option by number, value or label (case-insensitive), or an unambiguous prefix. */
export function pickOption(options: readonly FieldOption[], text: string): FieldOption | string {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) {
    const option = options[Number(t) - 1];
    if (option) return option;
  }
  const exact = options.find((o) => o.value.toLowerCase() === t || o.label.toLowerCase() === t);
  if (exact) return exact;
  const prefixed = options.filter((o) => o.value.toLowerCase().startsWith(t) || o.label.toLowerCase().startsWith(t));
  if (prefixed.length === 1) return prefixed[0]!;
  const list = options.map((o, i) => `${i + 1}=${o.value}`).join(', ');
  return prefixed.length > 1 ? `"${text}" matches several choices; pick one of ${list}` : `"${text}" is not a choice; pick one of ${list}`;
}

function parseScalar(kind: 'string' | 'number' | 'integer' | 'boolean', text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const t = text.trim();
  if (kind === 'boolean') {
    if (TRUE.has(t.toLowerCase())) return { ok: true, value: true };
    if (FALSE.has(t.toLowerCase())) return { ok: true, value: false };
    return { ok: false, message: `"${text}" is not yes or no` };
  }
  if (kind === 'number' || kind === 'integer') {
    const n = t === '' ? NaN : Number(t);
    if (!Number.isFinite(n)) return { ok: false, message: `"${text}" is not a number` };
    if (kind === 'integer' && !Number.isInteger(n)) return { ok: false, message: `"${text}" is not a whole number` };
    return { ok: true, value: n };
  }
  return { ok: true, value: text };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Check a value against the field's constraints; a message when it breaks one. */
export function checkValue(field: FormField, value: unknown): string | undefined {
  if (typeof value === 'string' && (field.kind === 'string')) {
    if (field.minLength !== undefined && value.length < field.minLength) return `at least ${field.minLength} characters, please`;
    if (field.maxLength !== undefined && value.length > field.maxLength) return `at most ${field.maxLength} characters, please`;
    if (field.pattern !== undefined) {
      let re: RegExp | undefined;
      try { re = new RegExp(field.pattern, 'u'); } catch { re = undefined; }
      // The field's own description says the form in words; a regular expression alone did not.
      if (re && !re.test(value)) {
        // Without the description's own full stop: the form adds "; try again", and read ".;".
        return field.description ? `"${value}" is not in the form it takes: ${field.description.trim().replace(/\.$/, '')}` : `does not match the expected form (${field.pattern})`;
      }
    }
    if (field.format === 'email' && !EMAIL.test(value)) return 'not an email address';
    if (field.format === 'uri' && !URL.canParse(value)) return 'not an absolute URI';
    if (field.format === 'date' && !isDate(value)) return 'not a date (YYYY-MM-DD)';
    if (field.format === 'date-time' && (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))) return 'not a date-time (YYYY-MM-DDThh:mm:ssZ)';
  }
  if (typeof value === 'number') {
    if (field.minimum !== undefined && value < field.minimum) return `at least ${field.minimum}, please`;
    if (field.maximum !== undefined && value > field.maximum) return `at most ${field.maximum}, please`;
    if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) return `more than ${field.exclusiveMinimum}, please`;
    if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum) return `less than ${field.exclusiveMaximum}, please`;
  }
  if (Array.isArray(value)) {
    if (field.minItems !== undefined && value.length < field.minItems) return `pick at least ${field.minItems}`;
    if (field.maxItems !== undefined && value.length > field.maxItems) return `pick at most ${field.maxItems}`;
  }
  return undefined;
}

function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * Read what was typed for `field`. Blank means the default when there is one, else "leave it
 * out" for an optional field; a required field without default must be answered. A wrong
 * answer's message starts with the field's title, so it says which field is wrong.
 */
export function parseAnswer(field: FormField, text: string): Parsed {
  const parsed = readAnswer(field, text);
  if (parsed.ok || parsed.message.startsWith(`${field.title} `) || parsed.message.startsWith(`${field.title}:`)) return parsed;
  return { ok: false, message: `${field.title}: ${parsed.message}` };
}

function readAnswer(field: FormField, text: string): Parsed {
  if (text.trim() === '') {
    if (field.hasDefault) return { ok: true, value: field.default, omitted: false };
    if (field.required) return { ok: false, message: `${field.title} is required` };
    return { ok: true, value: undefined, omitted: true };
  }
  let value: unknown;
  switch (field.kind) {
    case 'enum': {
      const picked = pickOption(field.options, text);
      if (typeof picked === 'string') return { ok: false, message: picked };
      value = picked.value;
      break;
    }
    case 'multi': {
      const chosen: string[] = [];
      for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
        const picked = pickOption(field.options, part);
        if (typeof picked === 'string') return { ok: false, message: picked };
        if (!chosen.includes(picked.value)) chosen.push(picked.value);
      }
      value = chosen;
      break;
    }
    case 'list': {
      const items: unknown[] = [];
      for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
        const one = parseScalar(field.itemKind, part);
        if (!one.ok) return one;
        items.push(one.value);
      }
      value = items;
      break;
    }
    case 'json':
      try {
        value = JSON.parse(text);
      } catch {
        value = text; // not JSON: take the text as typed and let the server judge
      }
      break;
    default: {
      const one = parseScalar(field.kind, text);
      if (!one.ok) return one;
      value = one.value;
    }
  }
  const problem = checkValue(field, value);
  return problem === undefined ? { ok: true, value, omitted: false } : { ok: false, message: `${field.title}: ${problem}` };
}

function typeLabel(field: FormField): string {
  switch (field.kind) {
    case 'boolean': return 'yes/no';
    case 'enum': return `1-${field.options.length} or a name`;
    case 'multi': return 'comma list of choices';
    case 'list': return `comma list of ${field.itemKind}s`;
    case 'json': return 'JSON';
    case 'string': return field.format ?? 'text';
    default: return field.kind;
  }
}

function constraints(field: FormField): string[] {
  const out: string[] = [];
  if (field.minimum !== undefined) out.push(`>= ${field.minimum}`);
  if (field.exclusiveMinimum !== undefined) out.push(`> ${field.exclusiveMinimum}`);
  if (field.maximum !== undefined) out.push(`<= ${field.maximum}`);
  if (field.exclusiveMaximum !== undefined) out.push(`< ${field.exclusiveMaximum}`);
  if (field.maxLength !== undefined) out.push(`max ${field.maxLength} chars`);
  return out;
}

/** A value as a person would type it back. */
export function showValue(field: FormField, value: unknown): string {
  if (field.kind === 'boolean' && typeof value === 'boolean') return value ? 'yes' : 'no';
  if (field.kind === 'enum') return field.options.find((o) => o.value === value)?.label ?? String(value);
  if (Array.isArray(value)) return value.map((v) => field.options.find((o) => o.value === v)?.label ?? String(v)).join(', ');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * The prompt line of a field: `Title (type, constraints) [default: X] [required]: ` (`[now: X]`
 * when editing an answer). Brackets
 * are printed as typed (the reference host's console markup swallowed them).
 */
export function fieldPrompt(field: FormField): string {
  const details = [typeLabel(field), ...constraints(field)].join(', ');
  const parts = [`${field.title} (${details})`];
  if (field.hasDefault) parts.push(`[${field.earlier ? 'now' : 'default'}: ${showValue(field, field.default)}]`);
  if (field.required) parts.push('[required]');
  return `${parts.join(' ')}: `;
}

/** The numbered choices of an enum or multi field, one per line. */
export function optionLines(field: FormField): string[] {
  return field.options.map((o, i) => `${String(i + 1).padStart(4)}) ${o.label}${o.label === o.value ? '' : `  (${o.value})`}`);
}

/**
 * A tool's arguments as `<tool> ?` lists them (at the prompt and with `--exec`): each field's
 * prompt and description, then an example naming the required ones.
 */
export function toolArgumentsHelp(name: string, schema: unknown, description: string | undefined): string {
  const fields = fieldsFromSchema(schema);
  const lines = [`${name}: ${description ?? ''}`];
  for (const f of fields) {
    const prompt = fieldPrompt(f).replace(/: $/, '');
    // The prompt opens with the title, which is the name itself when the schema gives none: said once.
    // Said before the server's description, which tells what a key does, not who gives it.
    const shown = hostFills(f.name) ? `${prompt.replace(/ \[required\]$/, '')} ${HOST_FILLS_NOTE}` : prompt;
    lines.push(`  ${f.title === f.name ? shown : `${f.name}: ${shown}`}${f.description ? ` — ${f.description}` : ''}`);
  }
  lines.push(`e.g. ${name} ${fields.filter((f) => f.required && !hostFills(f.name)).map((f) => `${f.name}=...`).join(' ')}`.trimEnd());
  return lines.join('\n');
}
