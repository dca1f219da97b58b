/**
 * RFC 6570 URI templates as MCP uses them for resource templates (2025-11-25
 * server/resources: `ResourceTemplate.uriTemplate`). Expansion covers levels 1-4 for string
 * and list values. Matching (URI -> variables) is the inverse for the common shapes: path
 * segments, reserved paths, `{/var*}` segments and trailing query expressions in any order.
 */

import {
  parseUriTemplateParts, RESERVED, UNRESERVED,
  type Expression, type ParsedUriTemplate, type Part, type UriTemplateOptions, type UriTemplateVariables, type VarSpec,
} from './uri-template-parse.ts';

export type { UriTemplateOptions, UriTemplateVariables } from './uri-template-parse.ts';

/** A parsed template. */
export interface UriTemplate {
  /** The template text as given. */
  readonly template: string;
  /** Variable names in order of first appearance. */
  readonly variableNames: string[];
  /** RFC 6570 section 3 expansion; undefined variables and empty lists expand to nothing. */
  expand(vars: UriTemplateVariables): string;
  /**
   * The variables that expand to `uri`, percent-decoded, or null when it does not match.
   * Exploded variables (`{/path*}`, `{?tag*}`) give lists; the others give strings. Absent
   * optional parts (`{/x}`, `{?q}`) are left out of the result.
   */
  match(uri: string): UriTemplateVariables | null;
}

function pctEncode(char: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** Section 3.2.1: keep unreserved (and, for + and #, reserved and pct-triplets); encode the rest. */
function encode(value: string, reserved: boolean): string {
  let out = '';
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (UNRESERVED.test(c) || (reserved && RESERVED.test(c))) out += c;
    else if (reserved && c === '%' && /^[0-9A-Fa-f]{2}$/.test(`${chars[i + 1] ?? ''}${chars[i + 2] ?? ''}`)) out += c;
    else out += pctEncode(c);
  }
  return out;
}

function expandExpression({ op, vars }: Expression, values: UriTemplateVariables): string {
  const pieces: string[] = [];
  for (const spec of vars) {
    const value = Object.hasOwn(values, spec.name) ? values[spec.name] : undefined;
    // Section 2.3: undefined values and empty lists are skipped entirely.
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
      throw new TypeError(`URI template variable "${spec.name}" must be a string or a list of strings`);
    }
    if (typeof value === 'string') {
      const cut = spec.prefix === undefined ? value : Array.from(value).slice(0, spec.prefix).join('');
      if (!op.named) pieces.push(encode(cut, op.reserved));
      else pieces.push(cut === '' ? `${spec.name}${op.ifemp}` : `${spec.name}=${encode(cut, op.reserved)}`);
    } else if (!spec.explode) {
      // Section 2.4.1: prefix modifiers do not apply to lists.
      const joined = value.map((item) => encode(item, op.reserved)).join(',');
      pieces.push(op.named ? `${spec.name}=${joined}` : joined);
    } else if (!op.named) {
      pieces.push(value.map((item) => encode(item, op.reserved)).join(op.sep));
    } else {
      pieces.push(value.map((item) => (item === '' ? `${spec.name}${op.ifemp}` : `${spec.name}=${encode(item, op.reserved)}`)).join(op.sep));
    }
  }
  return pieces.length === 0 ? '' : op.first + pieces.join(op.sep);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** How one capture group maps back to a variable. */
interface Capture {
  spec: VarSpec;
  /** `split`: explode into a list on this separator; `named`: `;name=value` pieces. */
  kind: 'value' | 'split' | 'named' | 'named-list';
  sep: string;
}

/** Characters a matched value may not contain: its separators, plus any that later parts rely on. */
function valueClass(exclude: string): string {
  return `[^${escapeRegExp(exclude)}]*`;
}

function expressionPattern(expr: Expression, stops: string, captures: Capture[]): string {
  const { op, opChar, vars } = expr;
  const sep = op.sep;
  if (opChar === '.' || opChar === '/' || opChar === ';') {
    // Each variable is optional and introduced by the separator (first === sep here).
    const exclude = `/?#${sep}`;
    return vars
      .map((spec) => {
        const s = escapeRegExp(sep);
        if (opChar === ';') {
          const n = escapeRegExp(spec.name);
          captures.push({ spec, kind: spec.explode ? 'named-list' : 'named', sep });
          return spec.explode
            ? `((?:${s}${n}(?:=${valueClass(exclude)})?)*)`
            : `((?:${s}${n}(?:=${valueClass(exclude)})?)?)`;
        }
        captures.push({ spec, kind: spec.explode ? 'split' : 'value', sep });
        return spec.explode ? `((?:${s}${valueClass(exclude)})*)` : `(?:${s}(${valueClass(exclude)}))?`;
      })
      .join('');
  }
  // '', '+', '#': values joined by ',' after an optional `first`.
  const base = op.reserved ? stops : `/?#${stops}`;
  const pieces = vars.map((spec, index) => {
    const exclude = vars.length > 1 && !spec.explode ? `${base},` : base;
    captures.push({ spec, kind: spec.explode ? 'split' : 'value', sep: ',' });
    const group = `(${valueClass(exclude)})`;
    return index === 0 ? group : `(?:,${group})?`;
  });
  const body = pieces.join('');
  return op.first ? `(?:${escapeRegExp(op.first)}${body})?` : body;
}

function decode(text: string): string {
  return decodeURIComponent(text);
}

/** Apply one capture to `out`; false when a repeated variable disagrees with itself. */
function assign(out: UriTemplateVariables, name: string, value: string | string[]): boolean {
  const previous = out[name];
  if (previous !== undefined) return JSON.stringify(previous) === JSON.stringify(value);
  out[name] = value;
  return true;
}

function readCapture(capture: Capture, raw: string | undefined): string | string[] | undefined {
  if (raw === undefined) return undefined;
  const { kind, sep } = capture;
  if (kind === 'value') return decode(raw);
  if (kind === 'split') {
    // Nothing matched: an empty list and an undefined one expand alike (section 2.3).
    if (raw === '') return undefined;
    const items = sep === ',' ? raw.split(',') : raw.slice(sep.length).split(sep);
    return items.map(decode);
  }
  if (raw === '') return undefined;
  const items = raw.slice(sep.length).split(sep).map((piece) => {
    const eq = piece.indexOf('=');
    return eq === -1 ? '' : decode(piece.slice(eq + 1));
  });
  return kind === 'named' ? items[0] : items;
}

/** Parse a query string into name -> raw values, in order. */
function parseQuery(query: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    const list = params.get(name);
    if (list) list.push(value);
    else params.set(name, [value]);
  }
  return params;
}

function buildMatcher(parts: readonly Part[], maxUriLength: number): (uri: string) => UriTemplateVariables | null {
  // Query expressions at the end are matched by name, in any order, and all optional.
  let tail = parts.length;
  while (tail > 0) {
    const part = parts[tail - 1] as Part;
    if (!('expression' in part) || (part.expression.opChar !== '?' && part.expression.opChar !== '&')) break;
    tail--;
  }
  const queryVars = parts.slice(tail).flatMap((p) => ('expression' in p ? p.expression.vars : []));
  const captures: Capture[] = [];
  let source = '';
  for (let i = 0; i < tail; i++) {
    const part = parts[i] as Part;
    if ('literal' in part) {
      source += escapeRegExp(encode(part.literal, true));
      continue;
    }
    // A reserved value may contain '?' or '#' only when nothing after it needs them.
    const later = parts.slice(i + 1);
    const needs = (c: string) =>
      later.some((p) => ('literal' in p ? p.literal.includes(c) : p.expression.op.first === c)) || (c === '?' && queryVars.length > 0);
    const stops = `${needs('?') ? '?' : ''}${needs('#') ? '#' : ''}`;
    if (part.expression.opChar === '?' || part.expression.opChar === '&') {
      // A query expression in the middle of a template: fixed order, each optional.
      source += part.expression.vars
        .map((spec) => {
          captures.push({ spec, kind: spec.explode ? 'named-list' : 'named', sep: '&' });
          return `((?:[?&]${escapeRegExp(spec.name)}(?:=[^&#]*)?)${spec.explode ? '*' : '?'})`;
        })
        .join('');
      continue;
    }
    source += expressionPattern(part.expression, stops, captures);
  }
  if (queryVars.length > 0) source += '(?:\\?([^#]*))?';
  const regex = new RegExp(`^${source}$`, 's');

  return (uri) => {
    if (uri.length > maxUriLength) return null;
    const m = regex.exec(uri);
    if (!m) return null;
    const out: UriTemplateVariables = {};
    try {
      for (let i = 0; i < captures.length; i++) {
        const capture = captures[i] as Capture;
        const value = readCapture(capture, m[i + 1]);
        if (value !== undefined && !assign(out, capture.spec.name, value)) return null;
      }
      const query = m[captures.length + 1];
      if (queryVars.length > 0 && query !== undefined) {
        const params = parseQuery(query);
        for (const spec of queryVars) {
          const raw = params.get(spec.name);
          if (raw === undefined) continue;
          const value = spec.explode ? raw.map(decode) : decode(raw[0] as string);
          if (!assign(out, spec.name, value)) return null;
        }
      }
    } catch (error) {
      // Malformed percent-encoding: this URI is not one the template produces.
      if (error instanceof URIError) return null;
      throw error;
    }
    return out;
  };
}
/**
 * Parse an RFC 6570 template. Throws a SyntaxError naming the problem for a malformed
 * template (unclosed or stray brace, reserved or unknown operator, bad variable name or
 * prefix) and a RangeError for one over the length or expression limits.
 */
export function parseUriTemplate(template: string, options: UriTemplateOptions = {}): UriTemplate {
  return uriTemplateOf(parseUriTemplateParts(template, options));
}

/** Expansion and matching of a parsed template. */
export function uriTemplateOf({ template, variableNames, parts, maxUriLength }: ParsedUriTemplate): UriTemplate {
  let matcher: ((uri: string) => UriTemplateVariables | null) | undefined;
  return {
    template,
    variableNames,
    expand(vars) {
      let out = '';
      for (const part of parts) out += 'literal' in part ? encode(part.literal, true) : expandExpression(part.expression, vars);
      return out;
    },
    match(uri) {
      // Built on first use: many templates are only ever listed, never matched.
      matcher ??= buildMatcher(parts, maxUriLength);
      return matcher(uri);
    },
  };
}
