/** Command-line parsing shared by the commands: node:util parseArgs with clear errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was invoked (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/** Parse `argv` against `options`; unknown flags and missing values become a UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error, argv));
  }
}

/**
 * parseArgs's message, said for a person. A value that starts with "-" (`--port -1`, or a
 * flag given no value before the next flag) was "Option '--port' argument is ambiguous. Did
 * you forget to specify the option argument...": it now names the flag and what followed it.
 */
function usageMessage(error: unknown, argv: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const flag = /^Option '(?:-\w, )?(--?[\w-]+)[^']*' argument is ambiguous/.exec(message)?.[1];
  if (flag === undefined) return message;
  const next = argv[argv.indexOf(flag) + 1];
  if (next === undefined || argv.indexOf(flag) < 0) return `${flag} needs a value`;
  if (next.startsWith('--')) return `${flag} needs a value before ${next}`;
  return `${flag} needs a value, got the flag-like "${next}" (a value starting with "-" is written ${flag}=${next})`;
}

/** A port number from text, or a UsageError. */
export function parsePort(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be an integer 0-65535, got "${text}"`);
  return port;
}
