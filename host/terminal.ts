/**
 * The host's terminal: one readline interface that never blocks. Output can be printed at
 * any time (calls stream while the prompt waits); questions (forms, confirmations) queue up
 * and take the next typed lines; everything else typed is a command. On a terminal, live
 * progress lines are redrawn in place just above the prompt, keeping what the person is
 * typing; on pipes every line is plain, and prompts end with a newline so scripts can wait
 * for them.
 */
import { createInterface, type Interface } from 'node:readline';
import { createPaint } from './progress-view.ts';
import { wrapText } from './wrap.ts';
import { asciiGlyphs, localeHint, localeIsUtf8 } from './glyphs.ts';
import { createScreen } from './terminal-screen.ts';
import { countReplacements, watchLineBytes, type LineVerdict } from './line-bytes.ts';
import type { Terminal, TerminalHandlers, TerminalOptions } from './terminal-types.ts';

export type { AskOptions, Terminal, TerminalHandlers, TerminalOptions } from './terminal-types.ts';

/** A piped line that was not UTF-8: it keeps its place in the script, as no answer. */
const UNREADABLE = Symbol('unreadable line');
type Line = string | typeof UNREADABLE;

interface Question {
  prompt: string;
  resolve(answer: string | undefined): void;
  cleanup(): void;
}

export function createTerminal(options: TerminalOptions): Terminal {
  const { input, output, tty } = options;
  const idlePrompt = options.prompt ?? '> ';
  const paint = createPaint(options.color);
  // Before readline listens: it must hear each chunk's bytes first.
  const lineBytes = watchLineBytes(input);
  const rl: Interface = createInterface({ input, ...(tty ? { output } : {}), terminal: tty, historySize: tty ? 200 : 0, prompt: idlePrompt });
  const questions: Question[] = [];
  const held: Line[] = [];
  /** With answersOnly: lines that came before their question. */
  const ahead: Line[] = [];
  /**
   * Lines read together with a line that answered a question, while no question is open: held
   * for the questions that follow it, as a form asks field by field (each next prompt opens a
   * few microtasks later, after readline has handed over every line of the read). Unasked for
   * by the end of the read's turn of the event loop, they go on as typed lines. Pasted answers
   * went to whatever was open: the second line between two prompts, to the command prompt.
   */
  const pasted: Line[] = [];
  let pasteOpen = false;
  /** No line read is left to hand over: what the end of input waits for. */
  const nothingLeft = () => held.length === 0 && pasted.length === 0;
  const maxAhead = options.maxQueuedAnswers ?? 1_000;
  let handlers: TerminalHandlers | undefined;
  let closed = false;
  let outputLost = false;
  let ended = false;
  let busy = false;
  let unreadable = 0;
  let unreadableAnswers = 0;
  let linesRead = 0;

  // The one place output's symbols are chosen: everything the terminal writes passes here.
  const ascii = options.ascii ?? !localeIsUtf8();
  const shown = ascii ? asciiGlyphs : (text: string) => text;
  /** Write to the output, unless it is gone (see onOutputLost). */
  const write = (text: string) => {
    if (!outputLost) output.write(shown(text));
  };

  const currentPrompt = () => (questions[0] ? screen.drawn(questions[0].prompt) : idlePrompt);
  const screen = createScreen({ rl, output, write, shown, prompt: currentPrompt });
  const columns = screen.columns;
  /** Redraw the screen (terminal-screen.ts), unless the terminal is closed. */
  const redraw = (lines: string[], echoed?: string, fromTop = false) => {
    if (!closed) screen.redraw(lines, echoed, fromTop);
  };

  function showPrompt(): void {
    if (closed) return;
    if (tty) {
      redraw([]);
    } else if (questions[0]) {
      write(`${questions[0].prompt.trimEnd()}\n`);
    }
  }

  function answer(line: Line): void {
    const q = questions.shift()!;
    q.cleanup();
    if (line === UNREADABLE) unreadableAnswers++;
    q.resolve(line === UNREADABLE ? undefined : line);
    if (questions.length > 0) showPrompt();
    else if (tty) redraw([]);
    if (!pasteOpen && !options.answersOnly) {
      pasteOpen = true;
      setImmediate(endPaste);
    }
  }

  /** A line read, shown as printed lines are (wrapped at words), where readline's own echo was cleared. */
  const echoLine = (text: string) => redraw(output.columns ? wrapText(text, columns()) : [text]);

  /** Whether a line read now is held for a question that follows (see `pasted`). */
  const holdsPasted = () => pasteOpen && questions.length === 0 && !options.answersOnly;

  /** A held line, taken by the question open now; on a terminal it is shown after its prompt (it was not, when read). */
  function answerPasted(): void {
    while (pasted.length > 0 && questions.length > 0) {
      const line = pasted.shift()!;
      if (tty) echoLine(`${currentPrompt()}${line === UNREADABLE ? '' : line}`);
      answer(line);
    }
  }

  /** The read's turn is over: held lines no question took are typed lines, as read. */
  function endPaste(): void {
    pasteOpen = false;
    if (closed) return;
    while (pasted.length > 0) {
      const line = pasted.shift()!;
      if (tty) echoLine(`${currentPrompt()}${line === UNREADABLE ? '' : line}`);
      dispatch(line);
    }
    if (ended) inputEnded();
  }

  function dispatch(line: Line): void {
    if (questions.length > 0) return answer(line);
    if (options.answersOnly) {
      ahead.push(line);
      if (ahead.length > maxAhead) ahead.shift();
      return;
    }
    if (pasteOpen) {
      pasted.push(line);
      return;
    }
    if (busy) {
      held.push(line);
      return;
    }
    if (line === UNREADABLE) return; // a command not run, counted in `unreadable`
    const result = handlers?.onLine(line);
    if (result instanceof Promise) {
      busy = true;
      void result.catch(() => undefined).finally(() => {
        busy = false;
        drainHeld();
        if (tty && questions.length === 0) redraw([]);
      });
    }
  }

  function drainHeld(): void {
    while (held.length > 0 && (questions.length > 0 || !busy)) dispatch(held.shift()!);
    if (ended && nothingLeft()) {
      withdrawQuestions();
      if (!busy) finishInput();
    }
  }

  /**
   * Input ended and no line is left: a question waiting now can never be answered, so it
   * resolves undefined at once. Waiting for the command that asked it to finish first (as the
   * end of input otherwise does) deadlocked: "quit" asking detach-or-cancel, then Ctrl+D.
   */
  function withdrawQuestions(): void {
    for (const q of questions.splice(0)) {
      q.cleanup();
      q.resolve(undefined);
    }
  }

  let endReported = false;
  function finishInput(): void {
    if (endReported) return;
    endReported = true;
    for (const q of questions.splice(0)) {
      q.cleanup();
      q.resolve(undefined);
    }
    handlers?.onEnd();
  }

  const onSigint = () => handlers?.onInterrupt();

  /**
   * A line read. Bytes that are not UTF-8 (a Latin-1 terminal's "é") read as U+FFFD, and
   * "café" went to the server as "caf�": such a line is not used. On a terminal the question
   * or the prompt waits for another. On a pipe it keeps its place as no answer (dropped, every
   * later line answered the question before its own: hostwalk12's leftover). A U+FFFD that
   * came as its own valid bytes is text like any other (it was refused too): the line's bytes
   * say which it was (line-bytes.ts). On a terminal they hold what was typed and deleted too:
   * the line is refused only if it has more U+FFFD than came as their own bytes (a Latin-1
   * "é" cleared with Ctrl+U before a real "�" was pasted refused that "�").
   */
  function take(line: string, bytes: LineVerdict): void {
    linesRead++;
    if (bytes.utf8 || countReplacements(line) <= bytes.realReplacements) return dispatch(line);
    unreadable++;
    if (tty) {
      forgetFromHistory(line);
      self.print(`✗ that line has bytes that are not UTF-8 (shown as �), so it was not used; the host reads UTF-8: set your terminal to UTF-8${localeHint()}`);
      return;
    }
    self.print(`✗ line ${linesRead} has bytes that are not UTF-8 (shown as �), so it was not used: it keeps its place (a question it meets gets no answer; the lines after it answer what they were written for) and counts as a failed line; the host reads UTF-8: write the script in UTF-8${localeHint()}`);
    dispatch(UNREADABLE);
  }

  /**
   * A refused line leaves readline's history (it adds every line before the host sees it):
   * recalled with the up arrow, its "�" would read as one typed on purpose, its bytes being
   * only the arrow's.
   */
  function forgetFromHistory(line: string): void {
    const history = (rl as unknown as { history?: string[] }).history;
    if (history?.[0] === line) history.shift();
  }

  // An output that fails (EPIPE) emits 'error'; unheard, that ended the process with a stack trace.
  output.on('error', (error: Error) => {
    if (outputLost) return;
    outputLost = true;
    options.onOutputLost?.(error);
    if (closed) return;
    ended = true;
    held.splice(0);
    pasted.splice(0);
    withdrawQuestions();
    if (handlers) finishInput();
  });

  // Listen from the start: readline reads at once, and a piped line (or the end of input)
  // that came before start() would otherwise be lost.
  const beforeStart: Array<{ line: string; bytes: LineVerdict }> = [];
  rl.on('line', (line) => {
    const bytes = lineBytes.next(); // once per line, read or not, to keep in step
    if (!handlers) {
      beforeStart.push({ line, bytes });
      return;
    }
    // On a terminal, readline moved below the typed line; keep it as history above the live lines,
    // wrapped at words as printed lines are (a long answer after a long prompt broke mid-word).
    // A line held for the next question is shown when taken, after that question's prompt.
    if (tty) {
      const echo = `${currentPrompt()}${line}`;
      redraw(holdsPasted() ? [] : output.columns ? wrapText(echo, columns()) : [echo], echo);
    }
    take(line, bytes);
  });
  /** Input ended: readline closed (end of input), or the input failed. Lines held from the last read go first. */
  function inputEnded(): void {
    if (closed) return;
    ended = true;
    if (pasted.length > 0) return; // endPaste comes back here
    if (handlers && held.length === 0) withdrawQuestions();
    if (handlers && !busy && held.length === 0) finishInput();
  }
  rl.on('close', inputEnded);
  // readline passes its input's errors on to its own 'error' event, which threw unheard. A
  // terminal that hung up fails setRawMode (EIO) when readline restores it: on end of input
  // that crashed the host, and in close() while leaving it left the host running after
  // "Goodbye" (a demo orphaned by a closed terminal). Nothing is left to restore on a terminal
  // that is gone; a read error ends input as its end does.
  rl.on('error', inputEnded);

  const self: Terminal = {
    tty,
    paint,
    get columns() { return columns(); },
    get rows() { return tty && output.rows ? output.rows : undefined; },
    start(h, holdUntil) {
      handlers = h;
      if (holdUntil) {
        busy = true;
        void holdUntil.catch(() => undefined).finally(() => {
          busy = false;
          drainHeld();
          if (tty && questions.length === 0) redraw([]);
        });
      }
      const early = beforeStart.splice(0);
      for (const { line, bytes } of early) take(line, bytes);
      if (ended && !busy && nothingLeft()) finishInput();
      if (tty) rl.on('SIGINT', onSigint);
      process.on('SIGINT', onSigint);
      showPrompt();
    },
    print(text) {
      if (closed) return;
      // Wrapped at words here: the terminal would break long lines mid-word at its edge. A
      // terminal that does not say its width is left to wrap as it does.
      if (tty) redraw(output.columns ? wrapText(text, columns()) : text.split('\n'));
      else write(`${text}\n`);
    },
    setLive(key, line) {
      if (!tty || closed) return;
      if (screen.setLive(key, line)) redraw([]);
    },
    ask(prompt, askOptions = {}) {
      if (closed) return Promise.resolve(undefined);
      if (ahead.length > 0 && questions.length === 0 && !askOptions.signal?.aborted) {
        // Answered by a line that came ahead of it: echo both, as a transcript would show them.
        const line = ahead.shift()!;
        write(`${prompt.trimEnd()} ${line === UNREADABLE ? '(its line was not UTF-8: no answer)' : line}\n`);
        if (line === UNREADABLE) unreadableAnswers++;
        return Promise.resolve(line === UNREADABLE ? undefined : line);
      }
      if (endReported || (ended && handlers !== undefined && nothingLeft())) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const signal = askOptions.signal;
        if (signal?.aborted) return resolve(undefined);
        const onAbort = () => {
          const i = questions.indexOf(question);
          if (i === -1) return;
          questions.splice(i, 1);
          resolve(undefined);
          if (i === 0) showPrompt();
        };
        const question: Question = { prompt, resolve, cleanup: () => signal?.removeEventListener('abort', onAbort) };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (askOptions.first) questions.unshift(question);
        else questions.push(question);
        if (questions[0] === question) showPrompt();
        if (pasted.length > 0) queueMicrotask(answerPasted);
        else if (held.length > 0) queueMicrotask(drainHeld);
      });
    },
    clearScreen() {
      if (!tty || closed) return;
      screen.clear();
    },
    get asking() { return questions.length > 0; },
    ascii,
    get unreadable() { return unreadable; },
    get unreadableAnswers() { return unreadableAnswers; },
    withdraw() {
      const q = questions.shift();
      if (q === undefined) return false;
      q.cleanup();
      q.resolve(undefined);
      if (questions.length > 0) showPrompt();
      else if (tty) redraw([]);
      return true;
    },
    close() {
      if (closed) return;
      if (tty) screen.erase();
      closed = true;
      process.off('SIGINT', onSigint);
      for (const q of questions.splice(0)) {
        q.cleanup();
        q.resolve(undefined);
      }
      rl.close();
    },
  };
  return self;
}
