/** Command-line parsing shared by the commands: node:util parseArgs with clear errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was invoked (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/**
 * Parse `argv` against `options`; unknown flags and missing values become a UsageError. An
 * option in `once` given twice is one too: parseArgs keeps the last value and drops the first
 * without a word (`host --url A --url B` ran against B alone). `once[name]` says what to do
 * instead. Other options keep "the last one wins" (`npm run agents -- --port 3001` relies on it).
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, once: Readonly<Record<string, string>> = {}): Parsed<O> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(usageMessage(error, argv, Object.keys(options)));
  }
  for (const [name, instead] of Object.entries(once)) {
    const given = parsed.tokens.flatMap((t) => (t.kind === 'option' && t.name === name ? [t.value] : []));
    if (given.length > 1) throw new UsageError(`--${name} is given ${given.length} times (${given.map((v) => JSON.stringify(v)).join(', ')}); it takes one${instead ? `: ${instead}` : ''}`);
  }
  const { tokens: _tokens, ...rest } = parsed;
  return rest as Parsed<O>;
}

/**
 * parseArgs's message, said for a person. A value that starts with "-" (`--port -1`, or a
 * flag given no value before the next flag) was "Option '--port' argument is ambiguous. Did
 * you forget to specify the option argument...": it now names the flag and what followed it.
 */
function usageMessage(error: unknown, argv: readonly string[], known: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  // "Unknown option '--htp'. To specify a positional argument starting with a '-', place it at
  // the end of the command after '--', as in '-- "--htp"" (its quotes unbalanced): the flag,
  // and the one meant when it is a typo of one.
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const meant = nearestFlag(unknown, known);
    return `unknown option ${unknown}${meant !== undefined ? ` (did you mean --${meant}?)` : ''}`;
  }
  const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message)?.[1];
  if (missing !== undefined) return `${missing} needs a value`;
  const flag = /^Option '(?:-\w, )?(--?[\w-]+)[^']*' argument is ambiguous/.exec(message)?.[1];
  if (flag === undefined) return message;
  const next = argv[argv.indexOf(flag) + 1];
  if (next === undefined || argv.indexOf(flag) < 0) return `${flag} needs a value`;
  if (next.startsWith('--')) return `${flag} needs a value before ${next}`;
  return `${flag} needs a value, got the flag-like "${next}" (a value starting with "-" is written ${flag}=${next})`;
}

/** The option `typed` (`--htp`, `-yse`) is one or two edits from, if any: a typo. */
function nearestFlag(typed: string, known: readonly string[]): string | undefined {
  const word = typed.replace(/^--?/, '').replace(/=.*$/, '');
  let best: string | undefined;
  let bestScore = Math.max(1, Math.min(2, Math.floor(word.length / 3)));
  for (const name of known) {
    const score = editDistance(word, name);
    if (score <= bestScore && (best === undefined || score < editDistance(word, best))) best = name;
  }
  return best;
}

/** Edits from `a` to `b`: insert, delete, replace, or swap two neighbours (`--yse`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** A port number from text, or a UsageError. */
export function parsePort(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be an integer 0-65535, got "${text}"`);
  return port;
}
