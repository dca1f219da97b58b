/**
 * Showing long text a page at a time before a decision about it (the approval of a model
 * request): the person sees every line before being asked, and may stop reading to refuse.
 */
import type { FormIO } from './forms.ts';

/** Lines shown per page before asking for more. */
export const DEFAULT_PAGE_LINES = 20;

/**
 * Print `lines` in pages of `pageLines`, asking between pages. Resolves true once every line
 * was shown, false when the person refused (`n`) or input ended first. `all` prints
 * everything at once (--yes: nobody is there to page).
 */
export async function showPaged(io: FormIO, lines: readonly string[], options: { pageLines: number; all: boolean }): Promise<boolean> {
  if (options.all || lines.length <= options.pageLines) {
    io.print(lines.join('\n'));
    return true;
  }
  for (let at = 0; at < lines.length;) {
    const end = Math.min(lines.length, at + options.pageLines);
    io.print(lines.slice(at, end).join('\n'));
    at = end;
    if (at >= lines.length) return true;
    for (;;) {
      const answer = await io.ask(`  -- lines 1-${at} of ${lines.length}: Enter shows the next page, [a]ll shows the rest, [n]o refuses --`);
      if (answer === undefined) return false;
      const a = answer.trim().toLowerCase();
      if (a === 'n' || a === 'no') return false;
      if (a === 'a' || a === 'all') {
        io.print(lines.slice(at).join('\n'));
        return true;
      }
      if (a === '') break;
      io.print('  ✗ press Enter, or type a or n');
    }
  }
  return true;
}
