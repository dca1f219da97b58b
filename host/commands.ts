/**
 * What a typed line means: a built-in command (case-insensitive), a tool call with inline
 * arguments (`travel_agent destination=Tokyo travellers=2`, `research_agent grid batteries`,
 * `echo {"text":"hi"}`), or something unknown that gets a hint. Arguments are read against the
 * tool's input schema, so `travellers=2` is the integer 2 and `confirm=yes` is true.
 */
import { checkValue, fieldFromSchema, parseAnswer } from './fields.ts';
import { hostFills } from './call-args.ts';

export const BUILTINS = {
  list: 'list', l: 'list', tools: 'list',
  help: 'help', h: 'help', '?': 'help',
  status: 'status', s: 'status',
  resume: 'resume', r: 'resume', attach: 'resume',
  cancel: 'cancel',
  detach: 'detach',
  'clean-tokens': 'clean-tokens', clean: 'clean-tokens',
  plan: 'plan',
  read: 'read',
  history: 'history', results: 'history',
  servers: 'servers',
  clear: 'clear',
  call: 'call',
  quit: 'quit', exit: 'quit', q: 'quit',
} as const;
export type BuiltinName = (typeof BUILTINS)[keyof typeof BUILTINS];
/** The command words a typo is matched against: every one but the one-letter shorthands. */
const COMMAND_WORDS = Object.keys(BUILTINS).filter((w) => w.length > 2);

export type Command =
  | { kind: 'empty' }
  | { kind: 'builtin'; name: BuiltinName; rest: string }
  | { kind: 'tool'; tool: string; rest: string }
  | { kind: 'unknown'; word: string; line: string; suggestion: string | undefined };

/**
 * The help text, one entry a line; brackets and quotes are printed exactly as written here.
 * The terminal wraps each entry under its description (`host/wrap.ts`).
 */
export const HELP = `Commands (case-insensitive):
  list | l                      the tools of every server
  <tool> [name=value ...]       run a tool; arguments inline, e.g. travel_agent destination=Tokyo travellers=2 (values follow the schema: numbers, yes/no, a,b lists, name:=<json>, or one {json} object); missing required arguments are asked field by field; a bare word fills the first required argument (research_agent grid batteries); <tool>@<server> picks a server
  <tool> ?                      describe a tool: every argument with its type, default and [required]
  call <tool> [...]             run a tool whose name is also a command word
  status | s                    every call of this session, the interrupted ones on disk and the tasks on record (asked for their state now: status, what they wait for)
  resume | r [#n ...]           watch detached calls again (printing what you missed, once), or resume calls an earlier run left behind; a task on record is followed (its form asked, its result shown)
  detach [#n]                   stop watching a call; it goes on and can be resumed, even after quit
  cancel [#n]                   cancel a running call (the server is sent notifications/cancelled) or a task on record (tasks/cancel)
  plan <goal>                   split a goal ("plan a research trip to Tokyo") into calls across the servers, run them in parallel and combine the results with their sources
  read <uri>                    read a resource, e.g. a booking from a result's link
  history | results [#n]        past calls of every run with how they ended; with a number, one call and its result
  servers                       the servers: each one's connection state (with why, when it cannot be reached) and implementation
  clean-tokens | clean          forget the stored resumption tokens
  clear                         clear the screen (the calls that run keep their live lines)
  help | h | ? [word]           this text; with a command or tool, just that one
  quit | exit | q               leave; with calls watched, asks whether to detach or cancel them
While calls run the prompt stays usable. Ctrl+C asks whether to detach or cancel; Ctrl+C twice detaches.
In a form: Enter takes the [default]; !clear leaves an optional field empty; !cancel or !decline at any field ends the form.`;

/**
 * The help entry of one command word (`help resume`, `help r`), with the head line; undefined
 * for a word that is no command. `help travel_agent` printed the whole text.
 */
export function helpFor(word: string): string | undefined {
  const name = (BUILTINS as Record<string, BuiltinName>)[word.toLowerCase()];
  if (!name) return undefined;
  const lines = HELP.split('\n');
  const entry = lines.find((line) => /^ {2}\S/.test(line) && line.slice(2, 32).trim().split(' | ').some((alt) => (BUILTINS as Record<string, BuiltinName>)[alt.split(' ')[0]!] === name));
  return entry === undefined ? undefined : `${lines[0]}\n${entry}`;
}

/** Split a line into words: whitespace separates, '...' and "..." group, backslash escapes. */
export function splitWords(text: string): string[] {
  return rawWords(text).map(unquote);
}

/** Split on whitespace outside quotes, keeping the quotes (JSON after `:=` needs them). */
function rawWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && i + 1 < text.length) word += c + text[++i];
      else {
        if (c === quote) quote = undefined;
        word += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (c === '\\' && i + 1 < text.length) {
      word += c + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== '') words.push(word);
      word = '';
    } else word += c;
  }
  if (quote) throw new Error(`unclosed ${quote} quote`);
  if (word !== '') words.push(word);
  return words;
}

/** Remove the quoting of one raw word (it holds no unquoted whitespace). */
function unquote(raw: string): string {
  let word = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < raw.length) word += raw[++i];
      else word += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < raw.length) word += raw[++i];
    else word += c;
  }
  return word;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The closest known word, if one is close enough to be a typo. */
export function suggest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const score = k.toLowerCase() === w ? 0 : k.toLowerCase().startsWith(w) && w.length >= 3 ? 1 : distance(w, k.toLowerCase());
    if (score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

/** Classify a line. `tools` are the callable names (plain, and `name@server`). */
export function parseCommand(line: string, tools: readonly string[]): Command {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  const space = text.search(/\s/);
  const word = space === -1 ? text : text.slice(0, space);
  const rest = space === -1 ? '' : text.slice(space + 1).trim();
  const builtin = (BUILTINS as Record<string, BuiltinName>)[word.toLowerCase()];
  if (builtin) return { kind: 'builtin', name: builtin, rest };
  if (tools.includes(word)) return { kind: 'tool', tool: word, rest };
  return { kind: 'unknown', word, line: text, suggestion: suggest(word, [...tools, ...COMMAND_WORDS]) };
}

/** Arguments read from a line, and the required ones still missing. */
export interface InlineArgs {
  args: Record<string, unknown>;
  missing: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read inline arguments against an input schema; throws an Error that says what to type instead. */
export function parseInlineArgs(rest: string, inputSchema: unknown): InlineArgs {
  const schema = isObject(inputSchema) ? inputSchema : {};
  const props = isObject(schema.properties) ? schema.properties : {};
  // An idempotency key the schema requires is still not the person's to give: the host adds one.
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string' && !hostFills(r)) : [];
  const known = Object.keys(props);
  const args: Record<string, unknown> = {};
  const text = rest.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`the arguments look like JSON but do not parse: ${(error as Error).message}`);
    }
    if (!isObject(parsed)) throw new Error('JSON arguments must be one object');
    return { args: parsed, missing: required.filter((r) => !(r in parsed)) };
  }
  const bare: string[] = [];
  const words = rawWords(text);
  // An unquoted `;` ending a word before another: a shell's command separator, which this line
  // does not have; read as arguments, "Lisbon; servers" became the destination.
  const cut = words.findIndex((w, i) => i < words.length - 1 && w.endsWith(';') && !w.endsWith('\\;'));
  if (cut >= 0) {
    throw new Error(`";" does not separate commands here: one line runs one command, and ${JSON.stringify(words.slice(cut + 1).join(' '))} would be read as arguments (quote a ";" meant as part of a value)`);
  }
  for (const raw of words) {
    const json = /^([A-Za-z_][\w.-]*):=(.*)$/s.exec(raw);
    const plain = /^([A-Za-z_][\w.-]*)=(.*)$/s.exec(raw);
    const match = json ?? plain;
    if (!match) {
      bare.push(unquote(raw));
      continue;
    }
    const name = match[1]!;
    const value = json ? match[2]! : unquote(match[2]!);
    if (known.length > 0 && !(name in props)) {
      throw new Error(`this tool has no argument "${name}"; it takes ${known.join(', ')}`);
    }
    if (json) {
      args[name] = jsonValue(name, value);
      continue;
    }
    args[name] = coerce(name, value, props[name], required.includes(name));
  }
  // Bare words fill the required arguments in order; the last string one takes the rest.
  const open = required.filter((r) => !(r in args));
  for (let i = 0; i < open.length && bare.length > 0; i++) {
    const name = open[i]!;
    const isLast = i === open.length - 1;
    const kind = fieldFromSchema(name, props[name], true).kind;
    const value = isLast && (kind === 'string' || kind === 'json') ? bare.splice(0).join(' ') : bare.shift()!;
    args[name] = coerce(name, value, props[name], true);
  }
  if (bare.length > 0) {
    const hint = known.find((k) => !(k in args));
    throw new Error(`unexpected ${JSON.stringify(bare.join(' '))}: name the argument${hint ? `, e.g. ${hint}=${bare[0]}` : ''}`);
  }
  // In the schema's order, as a person reads the tool's description.
  const ordered = Object.fromEntries([...known.filter((k) => k in args), ...Object.keys(args).filter((k) => !known.includes(k))].map((k) => [k, args[k]]));
  return { args: ordered, missing: required.filter((r) => !(r in args)) };
}

/**
 * The value of `name:=<json>`: the JSON as typed (`tags:=["a","b"]`), or inside the shell-style
 * quotes that keep its spaces and quotes together (`tags:='["a", "b"]'`, `text:='"two words"'`).
 */
function jsonValue(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (bare) {
    const unquoted = unquote(raw);
    if (unquoted !== raw) {
      try {
        return JSON.parse(unquoted);
      } catch (quoted) {
        throw new Error(`${name}:= needs a JSON value; ${unquoted} is not JSON (${(quoted as Error).message})`);
      }
    }
    throw new Error(`${name}:= needs a JSON value, e.g. ${name}:=3, ${name}:=true or ${name}:='["a", "b"]'; ${raw} is not JSON (${(bare as Error).message})`);
  }
}

function coerce(name: string, value: string, schema: unknown, required: boolean): unknown {
  const field = fieldFromSchema(name, schema, required);
  if (value === '') {
    if (field.kind === 'string') {
      // `destination=` went to the server as "", refused there ("must NOT have fewer than 2
      // characters"), though every other value is checked here first.
      const wrong = checkValue(field, '');
      if (wrong !== undefined) throw new Error(`${name}: ${wrong}`);
      return '';
    }
    if (field.kind === 'json') return '';
    throw new Error(`${name}= needs a value`);
  }
  // Named as typed on the line (the argument's name, not its title).
  const parsed = parseAnswer({ ...field, title: name, hasDefault: false }, value);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

/** Call numbers from `#2 3 #5` (the `#` is optional). Throws on anything else. */
export function parseCallNumbers(rest: string): number[] {
  const out: number[] = [];
  for (const word of splitWords(rest)) {
    const m = /^#?(\d+)$/.exec(word);
    if (!m) throw new Error(`"${word}" is not a call number like #2`);
    out.push(Number(m[1]));
  }
  return out;
}
