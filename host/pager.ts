/**
 * Showing long text a page at a time before a decision about it (the approval of a model
 * request): the person sees every line before being asked, and may stop reading to refuse.
 */
import type { FormIO } from './forms.ts';
import { displayWidth } from './wrap.ts';

/** Lines shown per page before asking for more. */
export const DEFAULT_PAGE_LINES = 20;

/** Rows kept free below a page: the question and the line typed after it. */
const PROMPT_ROWS = 2;

/** Screen rows `line` takes once it wraps at `columns` (colours take none, wide characters two). */
function rowsOf(line: string, columns: number): number {
  return Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, columns)));
}

/**
 * Print `lines` in pages of at most `pageLines` lines, asking between pages. On a terminal
 * (`io.screen`) a page also fits the screen, its lines counted in the rows they wrap to, so
 * the start of a page never scrolls away before the question (a 40-column terminal showed
 * 20 long lines in over 40 rows). Resolves true once every line was shown, false when the
 * person refused (`n`) or input ended first. `all` prints everything at once (--yes: nobody
 * is there to page).
 */
export async function showPaged(io: FormIO, lines: readonly string[], options: { pageLines: number; all: boolean }): Promise<boolean> {
  const screen = io.screen;
  const rowBudget = screen ? Math.max(1, Math.min(options.pageLines, screen.rows - PROMPT_ROWS)) : options.pageLines;
  const rows = (line: string) => (screen ? rowsOf(line, screen.columns) : 1);
  /** Where the page starting at `at` ends: at least one line, then as many as fit. */
  const pageEnd = (at: number) => {
    let end = at + 1;
    let used = rows(lines[at]!);
    while (end < lines.length && end - at < options.pageLines && used + rows(lines[end]!) <= rowBudget) used += rows(lines[end++]!);
    return end;
  };
  if (options.all || lines.length === 0 || pageEnd(0) >= lines.length) {
    io.print(lines.join('\n'));
    return true;
  }
  for (let at = 0; at < lines.length;) {
    const end = pageEnd(at);
    io.print(lines.slice(at, end).join('\n'));
    at = end;
    if (at >= lines.length) return true;
    for (;;) {
      const answer = await io.ask(`  -- lines 1-${at} of ${lines.length}: Enter shows the next page, [a]ll shows the rest, [n]o refuses -- `); // the space keeps an answer apart
      if (answer === undefined) return false;
      const a = answer.trim().toLowerCase();
      if (a === 'n' || a === 'no') return false;
      if (a === 'a' || a === 'all') {
        io.print(lines.slice(at).join('\n'));
        return true;
      }
      if (a === '') break;
      // A person meaning to approve types y here: the approval is its own question, after the text.
      io.print(a === 'y' || a === 'yes'
        ? '  ✗ the approval is asked after the last page: press Enter for the next page, a for all of the rest, or n to refuse'
        : '  ✗ press Enter, or type a or n');
    }
  }
  return true;
}
