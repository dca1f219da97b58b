/**
 * What a stdio server said on stderr that explains why it ended: the host quotes it after
 * "exited with code N" or "was killed by ...". Kept apart from the connection, which only
 * feeds it lines and clears it when a new process starts or the server is ready.
 */

/**
 * A line naming an error: `Error: Cannot find module ...`, `TypeError: ...`, `error: ...`, and
 * with a program name before it, as argument parsers print it (`server.py: error: ...`).
 */
const ERROR_LINE = /^\s*(?:[\w./-]+:\s+)?(?:\w*Error|error|fatal)\b\s*[:[]/i;
/** The line Node prints last after an uncaught error, which says nothing about the error. */
const RUNTIME_BANNER = /^Node\.js v\d/;
/**
 * A line that points to the help rather than saying what is wrong: "Run `x --help` for
 * usage.", "Try 'x --help' for more information.".
 */
const HELP_POINTER = /^\s*(?:run|try|see|use|type)\b.*(?:--help|\s-h\b|\bhelp\b)|\bfor (?:usage|more information|help)\b/i;
/** The first line of a usage text; the lines after it are the text, not the problem. */
const USAGE_START = /^\s*usage:/i;

/** How many of the last lines are kept when none of them names an error. */
const TAIL_LINES = 5;

export interface LastWords {
  /** One line the server wrote on stderr (not empty). */
  add(line: string): void;
  /** Forget what was said: a new process, or start-up talk once the server is ready. */
  clear(): void;
  /** The line that explains an exit: its error line, else the last line that says something; undefined when none. */
  said(): string | undefined;
}

export function createLastWords(): LastWords {
  const tail: string[] = [];
  let error: string | undefined;
  /** The last line outside a usage text and not a pointer to the help. */
  let plain: string | undefined;
  let inUsage = false;
  /** The first line of a usage text: said when nothing before it was. */
  let usage: string | undefined;
  return {
    add(line) {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      if (ERROR_LINE.test(line)) error = line.trim();
      if (USAGE_START.test(line) && !inUsage) {
        inUsage = true;
        usage = line.trim();
      }
      // A usage error prints the problem and then the usage or a pointer to it (exit 2 by
      // convention): quoting "Run `x --help` for usage." or an option's line says nothing.
      if (!inUsage && !HELP_POINTER.test(line) && !RUNTIME_BANNER.test(line)) plain = line.trim();
    },
    clear() {
      tail.length = 0;
      error = undefined;
      plain = undefined;
      inUsage = false;
      usage = undefined;
    },
    said() {
      return error ?? plain ?? usage ?? tail.filter((l) => !RUNTIME_BANNER.test(l)).at(-1);
    },
  };
}
