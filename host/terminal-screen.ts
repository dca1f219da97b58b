/**
 * The terminal's screen, on a TTY: the live lines kept just above the prompt and redrawn in
 * place whenever something is printed, a question is asked, or the person types, so output
 * that streams while the prompt waits never tears what is being typed. terminal.ts decides
 * what to print and which prompt is current; this draws it.
 */
import type { Interface } from 'node:readline';
import { fitLine } from './progress-view.ts';
import { displayWidth, wrapLine } from './wrap.ts';

export interface ScreenOptions {
  /** The terminal's readline interface: it draws the prompt and what is being typed. */
  rl: Interface;
  /** The terminal's output, for its width (absent: 100 columns, and nothing wrapped by us). */
  output: { columns?: number };
  /** Write to the output (symbols already chosen for the locale, nothing once it is lost). */
  write(text: string): void;
  /** The prompt to draw: the question waiting, or the idle prompt. */
  prompt(): string;
  /** Map the host's symbols for the locale (glyphs.ts), for the prompt readline draws itself. */
  shown(text: string): string;
}

export interface Screen {
  /** The columns text is wrapped to: one less than the terminal's, at least 20. */
  columns(): number;
  /** A prompt as drawn: wrapped at words where the terminal says its width. */
  drawn(prompt: string): string;
  /**
   * Clear the live lines, print `lines`, draw the live lines and the prompt again. `echoed` is
   * a line readline just left above the cursor (the prompt and what was typed); `fromTop` when
   * the screen was just erased.
   */
  redraw(lines: string[], echoed?: string, fromTop?: boolean): void;
  /** Set (or with undefined remove) a live line; false when nothing changed. */
  setLive(key: string, line: string | undefined): boolean;
  /** Home and erase the screen (its scrollback stays), then draw the live lines and prompt at its top. */
  clear(): void;
  /** Erase the live lines and the prompt, for the host's last words below them. */
  erase(): void;
}

/** The live lines and the prompt of one terminal (terminal.ts makes one, for a TTY). */
export function createScreen(options: ScreenOptions): Screen {
  const { rl, output, write } = options;
  const live = new Map<string, string>();
  let liveRows = 0;

  const columns = () => Math.max(20, (output.columns || 100) - 1);
  /** Rows `text` takes on the screen: each of its lines, in display cells, wraps at the terminal's width. */
  const rowsOf = (text: string) => text.split('\n')
    .reduce((rows, line) => rows + Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, output.columns || 100))), 0);

  function redraw(lines: string[], echoed?: string, fromTop = false): void {
    let s = '\r';
    // From the cursor's row up to the first live row: past a prompt that wraps, or past the echo.
    const below = echoed !== undefined ? rowsOf(echoed) : rl.getCursorPos().rows;
    const up = fromTop ? 0 : liveRows + below;
    if (up > 0) s += `\x1b[${up}A`;
    s += '\x1b[J';
    for (const line of lines) s += `${line}\n`;
    // A live line may hold rows of its own (calls.ts: what a call waits for, whole, above the rest).
    const rows = [...live.values()].flatMap((l) => l.split('\n')).map((l) => fitLine(l, columns()));
    for (const row of rows) s += `${row}\n`;
    liveRows = rows.length;
    write(s);
    // readline redraws its line from the row it last left the cursor on; we just cleared all of
    // that and start it on a fresh row (Node's Interface keeps this in a plain field).
    (rl as unknown as { prevRows?: number }).prevRows = 0;
    rl.setPrompt(options.shown(options.prompt()));
    rl.prompt(true);
  }

  return {
    columns,
    /**
     * Wrapped at words as printed lines are (wrap.ts), where the terminal broke it mid-word
     * ("keep w" / "atching"); the space it ends with stays, for the answer. readline counts
     * the rows of a prompt with line breaks.
     */
    drawn(prompt) {
      if (!output.columns) return prompt;
      const rows = wrapLine(prompt.trimEnd(), columns());
      return rows.length === 1 ? prompt : rows.join('\n') + /\s*$/.exec(prompt)![0];
    },
    redraw,
    setLive(key, line) {
      if (line === undefined) return live.delete(key);
      if (live.get(key) === line) return false;
      live.set(key, line);
      return true;
    },
    clear() {
      write('\x1b[H\x1b[2J');
      liveRows = 0;
      redraw([], undefined, true);
    },
    erase() {
      live.clear();
      const up = liveRows + rl.getCursorPos().rows;
      write(`\r${up > 0 ? `\x1b[${up}A` : ''}\x1b[J`);
    },
  };
}
