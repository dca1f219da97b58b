/**
 * The YAML frontmatter of a `SKILL.md` (Agent Skills format; 2026-07-28 skills extension,
 * SEP-2640: `skills/list` carries it verbatim as a JSON object). Only the subset skills use is
 * read: `key: value` scalars (plain, single- or double-quoted) and maps nested by indentation;
 * anything else (lists, multi-line scalars, anchors) is refused with a precise error rather
 * than read differently from a full YAML parser.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const LINE = /^( *)([A-Za-z0-9_.\/-]+):(?: +(.*))?$/;

function fail(where: string, why: string): McpError {
  return new McpError(LocalErrorCode.Validation, `${where}: frontmatter ${why}`);
}

/** A scalar as YAML reads it: quoted strings unquoted, true/false/null/numbers typed. */
function scalar(raw: string, where: string): unknown {
  const value = raw.trim();
  // A quoted scalar runs to its closing quote (a " #" inside it is text); a comment may follow.
  const single = /^'((?:[^']|'')*)'(?:\s+#.*)?$/.exec(value);
  if (single) return single[1]!.replace(/''/g, "'");
  const double = /^("(?:[^"\\]|\\.)*")(?:\s+#.*)?$/.exec(value);
  if (double) {
    try { return JSON.parse(double[1]!); } catch { throw fail(where, `has an unsupported escape in ${double[1]}`); }
  }
  if (/^['"]/.test(value)) throw fail(where, `value ${JSON.stringify(value)} is a quoted scalar that does not end where it should`);
  // A comment starts at the first " #"; found with indexOf: `/ +#.*$/` retried its space run
  // from every space, quadratic (40 000 spaces took 1.4 s, a 4 MB line hours, at registration).
  const hash = value.indexOf(' #');
  const text = (hash < 0 ? value : value.slice(0, hash)).trim();
  if (/^[[{|>&*!]/.test(text) || text.startsWith('- ')) throw fail(where, `value ${JSON.stringify(text)} uses YAML beyond key: value (lists, blocks, anchors); quote it`);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~' || text === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/: |\s#/.test(text)) throw fail(where, `value ${JSON.stringify(text)} is ambiguous YAML; quote it`);
  return text;
}

/**
 * The frontmatter object of `markdown` (a leading BOM is ignored); throws MCP_ERR_VALIDATION
 * naming `where` when there is none or it uses YAML this reader does not take.
 */
export function parseFrontmatter(markdown: string, where: string): Record<string, unknown> {
  const m = FENCE.exec(markdown.charCodeAt(0) === 0xfeff ? markdown.slice(1) : markdown);
  if (!m) throw fail(where, 'is missing: SKILL.md starts with a --- fenced YAML block');
  const root: Record<string, unknown> = {};
  const stack: Array<{ indent: number; map: Record<string, unknown> }> = [{ indent: -1, map: root }];
  for (const [i, line] of (m[1] ?? '').split(/\r?\n/).entries()) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const at = `${where} line ${i + 2}`;
    const parts = LINE.exec(line);
    if (!parts) throw fail(at, `line ${JSON.stringify(line)} is not "key: value"`);
    const indent = parts[1]!.length;
    while (stack.length > 1 && indent <= stack[stack.length - 1]!.indent) stack.pop();
    const parent = stack[stack.length - 1]!;
    const key = parts[2]!;
    // Assigned on a plain object, `__proto__` would set its prototype: the keys under it would
    // pass the checks yet not be served (JSON has own keys only). No skill needs the key.
    if (key === '__proto__') throw fail(at, 'uses the key __proto__, which is not taken');
    if (Object.hasOwn(parent.map, key)) throw fail(at, `repeats the key ${key}`);
    if (parts[3] === undefined || parts[3].trim() === '') {
      const child: Record<string, unknown> = {};
      parent.map[key] = child;
      stack.push({ indent, map: child });
    } else {
      parent.map[key] = scalar(parts[3], at);
    }
  }
  return root;
}
