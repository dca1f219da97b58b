/**
 * The host's symbols (`✓ ⚠ ✗ ▶ ↻ █ ░ 🧠 …`) where the terminal's locale says it cannot show
 * them: LANG=C or en_US.ISO-8859-1 printed mojibake (`âœ"`, `â-ˆ`) for every status line and
 * progress bar. Decided once, from the locale, where the terminal writes (terminal.ts), and
 * for what the host prints past it (`--exec`'s result on stdout, `clean-tokens`, the demo's
 * lines before its host starts: `forLocale`); each stand-in takes as many cells as the symbol,
 * so a line fitted to the width still fits.
 */

/** The locale that decides the character set (POSIX: LC_ALL, then LC_CTYPE, then LANG); undefined when none is set. */
export function localeOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.LC_ALL || env.LC_CTYPE || env.LANG || undefined;
}

/**
 * Whether output can hold more than ASCII: a locale naming UTF-8, or none set at all (most
 * terminals, containers and CI runners that set nothing show UTF-8; "C" and "POSIX" named
 * outright mean ASCII).
 */
export function localeIsUtf8(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = localeOf(env);
  return locale === undefined || /utf-?8/i.test(locale);
}

/** The locale when it names another encoding than UTF-8 (the likely cause of bytes that are not UTF-8), as a line's end. */
export function localeHint(env: NodeJS.ProcessEnv = process.env): string {
  return localeIsUtf8(env) ? '' : ` (the locale is ${localeOf(env)}; e.g. LANG=C.UTF-8)`;
}

/** Each symbol the host prints, and its ASCII stand-in of the same width in cells. */
const ASCII: Record<string, string> = {
  '█': '#', '░': '.', '✓': '+', '✗': 'x', '⚠': '!', '▶': '>', '↻': '~', '↺': '~', '⊘': '-', '↪': '>', '↗': '^',
  '…': '.', '·': '-', '→': '>', '•': '*', '│': '|', '─': '-', '═': '=', '🧠': '**', '👋': '**', '🧳': '**',
  '“': '"', '”': '"', '┌': '+', '┐': '+', '└': '+', '┘': '+',
  // What readline made of bytes that were not UTF-8, quoted back in the line that says so.
  '\uFFFD': '?',
};
const SYMBOLS = new RegExp(`[${Object.keys(ASCII).join('')}]`, 'gu');

/** `text` with the host's symbols in ASCII; other characters (a server's words) are left as they are. */
export function asciiGlyphs(text: string): string {
  return text.replace(SYMBOLS, (s) => ASCII[s] ?? s);
}

/**
 * `text` as the locale can show it: the host's symbols in ASCII where it names no UTF-8 (see
 * `localeIsUtf8`), else unchanged. For what the host prints without its terminal, which
 * decides the same for everything it writes.
 */
export function forLocale(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return localeIsUtf8(env) ? text : asciiGlyphs(text);
}
