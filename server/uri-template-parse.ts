/**
 * Parsing RFC 6570 URI templates (uri-template.ts): what registering a resource template
 * needs at once (a malformed template is refused then). Expansion and matching
 * (uri-template.ts) load with `import()` on the first `resources/read` that reaches a template
 * (resource-templates.ts; issue #20 item 3).
 */

/** Variable values: a string, or a list (RFC 6570 section 2.3; associative arrays are not used). */
export type UriTemplateVariables = Record<string, string | string[]>;

/** Options of {@link parseUriTemplateParts} (and of uri-template.ts `parseUriTemplate`). */
export interface UriTemplateOptions {
  /** Longest template accepted, in UTF-16 code units. Default 4096. */
  maxTemplateLength?: number;
  /** Most `{...}` expressions in one template. Default 64. */
  maxExpressions?: number;
  /** Longest URI `match` will try; longer ones do not match. Default 8192. */
  maxUriLength?: number;
}

const DEFAULTS = { maxTemplateLength: 4096, maxExpressions: 64, maxUriLength: 8192 } as const;

/** RFC 6570 appendix A: per-operator expansion rules. */
export interface Operator {
  first: string;
  sep: string;
  named: boolean;
  ifemp: string;
  /** Reserved characters (and existing pct-triplets) pass unencoded. */
  reserved: boolean;
}

const OPERATORS: Record<string, Operator> = {
  '': { first: '', sep: ',', named: false, ifemp: '', reserved: false },
  '+': { first: '', sep: ',', named: false, ifemp: '', reserved: true },
  '#': { first: '#', sep: ',', named: false, ifemp: '', reserved: true },
  '.': { first: '.', sep: '.', named: false, ifemp: '', reserved: false },
  '/': { first: '/', sep: '/', named: false, ifemp: '', reserved: false },
  ';': { first: ';', sep: ';', named: true, ifemp: '', reserved: false },
  '?': { first: '?', sep: '&', named: true, ifemp: '=', reserved: false },
  '&': { first: '&', sep: '&', named: true, ifemp: '=', reserved: false },
};

/** RFC 6570 section 2.2: '=' ',' '!' '@' '|' are reserved for future operators. */
const FUTURE_OPERATORS = new Set(['=', ',', '!', '@', '|']);

export interface VarSpec {
  name: string;
  explode: boolean;
  /** Prefix length in code points (section 2.4.1), when given. */
  prefix: number | undefined;
}

export interface Expression {
  op: Operator;
  opChar: string;
  vars: VarSpec[];
}

export type Part = { literal: string } | { expression: Expression };

/** RFC 6570 section 2.3: varname = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded. */
const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*$/;
export const UNRESERVED = /[A-Za-z0-9\-._~]/;
export const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

function fail(template: string, message: string): never {
  throw new SyntaxError(`invalid URI template ${JSON.stringify(template.length > 80 ? `${template.slice(0, 80)}...` : template)}: ${message}`);
}

function parseVarSpec(template: string, text: string): VarSpec {
  let name = text;
  let explode = false;
  let prefix: number | undefined;
  if (name.endsWith('*')) {
    explode = true;
    name = name.slice(0, -1);
  } else {
    const colon = name.indexOf(':');
    if (colon !== -1) {
      const digits = name.slice(colon + 1);
      // Section 2.4.1: max-length = %x31-39 0*3DIGIT (1..9999).
      if (!/^[1-9][0-9]{0,3}$/.test(digits)) fail(template, `bad prefix modifier ":${digits}" on "${name.slice(0, colon)}"`);
      prefix = Number(digits);
      name = name.slice(0, colon);
    }
  }
  if (!VARNAME.test(name)) fail(template, `bad variable name ${JSON.stringify(name)}`);
  return { name, explode, prefix };
}

function parse(template: string, maxExpressions: number): Part[] {
  const parts: Part[] = [];
  let expressions = 0;
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const literalEnd = open === -1 ? template.length : open;
    const literal = template.slice(i, literalEnd);
    if (literal.includes('}')) fail(template, `unmatched "}" at ${i + literal.indexOf('}')}`);
    if (literal) parts.push({ literal });
    if (open === -1) break;
    const close = template.indexOf('}', open + 1);
    if (close === -1) fail(template, `unclosed "{" at ${open}`);
    const body = template.slice(open + 1, close);
    if (body.includes('{')) fail(template, `"{" inside the expression at ${open}`);
    if (++expressions > maxExpressions) {
      throw new RangeError(`URI template has more than maxExpressions (${maxExpressions}) expressions`);
    }
    const lead = body.charAt(0);
    if (FUTURE_OPERATORS.has(lead)) fail(template, `operator "${lead}" is reserved (RFC 6570 section 2.2)`);
    const opChar = lead in OPERATORS ? lead : '';
    if (!opChar && lead !== '' && !/[A-Za-z0-9_%]/.test(lead)) fail(template, `unknown operator "${lead}" at ${open}`);
    const list = opChar ? body.slice(1) : body;
    if (!list) fail(template, `empty expression at ${open}`);
    const vars = list.split(',').map((spec) => parseVarSpec(template, spec));
    parts.push({ expression: { op: OPERATORS[opChar] as Operator, opChar, vars } });
    i = close + 1;
  }
  return parts;
}

/** A template parsed and checked against the limits: what expansion and matching start from. */
export interface ParsedUriTemplate {
  /** The template text as given. */
  readonly template: string;
  /** Variable names in order of first appearance. */
  readonly variableNames: string[];
  readonly parts: readonly Part[];
  readonly maxUriLength: number;
}

/**
 * Parse an RFC 6570 template. Throws a SyntaxError naming the problem for a malformed
 * template (unclosed or stray brace, reserved or unknown operator, bad variable name or
 * prefix) and a RangeError for one over the length or expression limits.
 */
export function parseUriTemplateParts(template: string, options: UriTemplateOptions = {}): ParsedUriTemplate {
  const maxTemplateLength = options.maxTemplateLength ?? DEFAULTS.maxTemplateLength;
  const maxExpressions = options.maxExpressions ?? DEFAULTS.maxExpressions;
  const maxUriLength = options.maxUriLength ?? DEFAULTS.maxUriLength;
  if (template.length > maxTemplateLength) {
    throw new RangeError(`URI template is ${template.length} characters, over maxTemplateLength (${maxTemplateLength})`);
  }
  const parts = parse(template, maxExpressions);
  const variableNames = [...new Set(parts.flatMap((p) => ('expression' in p ? p.expression.vars.map((v) => v.name) : [])))];
  return { template, variableNames, parts, maxUriLength };
}
