/**
 * What the host's terminal promises (terminal.ts makes it): its options, the handlers it
 * calls, and the Terminal every part of the host prints and asks through.
 */
import type { Paint } from './progress-view.ts';

export interface TerminalOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { columns?: number; rows?: number };
  /** Draw live lines and edit input in place; false for pipes. */
  tty: boolean;
  color: boolean;
  /** The idle prompt; `''` for none (`--exec`, which reads no commands). Default `> `. */
  prompt?: string;
  /**
   * Every line is an answer (`--exec` on a pipe): lines that arrive before a question are
   * queued and answer the next questions in order, also after input ended. Default false.
   */
  answersOnly?: boolean;
  /** Lines queued ahead of questions with `answersOnly`, before the oldest are dropped. Default 1000. */
  maxQueuedAnswers?: number;
  /**
   * The output failed (EPIPE: the reader of a pipe went away, as `npm start | tee log` does on
   * Ctrl+C). Nothing more is written to it, and the input counts as ended: the host leaves,
   * detaching what runs. Called once, to say so elsewhere.
   */
  onOutputLost?(error: Error): void;
  /** Print the host's symbols in ASCII (glyphs.ts). Default: when the locale names no UTF-8. */
  ascii?: boolean;
}

export interface TerminalHandlers {
  /** A typed command. A returned promise holds later lines back until it settles (or a question takes them). */
  onLine(line: string): void | Promise<void>;
  /** Ctrl+C (on a terminal) or SIGINT (always). */
  onInterrupt(): void;
  /** Input ended (Ctrl+D, or the pipe closed). */
  onEnd(): void;
}

export interface AskOptions {
  /** Withdraw the question when this aborts; it then resolves undefined. */
  signal?: AbortSignal;
  /** Ask before the questions already waiting (an interrupt's detach-or-cancel). */
  first?: boolean;
}

export interface Terminal {
  readonly tty: boolean;
  readonly paint: Paint;
  readonly columns: number;
  /** The screen's rows on a terminal that says; undefined on pipes. */
  readonly rows: number | undefined;
  /**
   * Start reading commands. Lines that come before `holdUntil` settles (the host's startup,
   * which may ask whether to resume) wait for it; a question asked meanwhile takes them first,
   * in order, so a piped script's first line answers the startup's question.
   */
  start(handlers: TerminalHandlers, holdUntil?: Promise<unknown>): void;
  /** Print lines above the prompt. */
  print(text: string): void;
  /** Set (or with undefined remove) a live line, redrawn in place on a terminal; ignored on pipes. Rows split at "\n", each cut to the width. */
  setLive(key: string, line: string | undefined): void;
  /** Ask one question; resolves the answer, or undefined when input ended or it was withdrawn. */
  ask(prompt: string, options?: AskOptions): Promise<string | undefined>;
  /** Withdraw the question on screen (Ctrl+C at it): it resolves undefined. False when none waits. */
  withdraw(): boolean;
  /** Clear the screen, then draw the live lines and the prompt at its top (`clear`); nothing on pipes. */
  clearScreen(): void;
  /** Whether a question waits for an answer. */
  readonly asking: boolean;
  /** Whether the host's symbols are written in ASCII (glyphs.ts): what the host prints elsewhere follows it. */
  readonly ascii: boolean;
  /**
   * Lines read that were not used because their bytes are not UTF-8. On a pipe each still
   * takes its place (the question it meets gets no answer), so the lines after it answer what
   * they were written for; a script counts them as failed lines.
   */
  readonly unreadable: number;
  /** Questions that got no answer because their line was not UTF-8 (so far): why `ask` resolved undefined. */
  readonly unreadableAnswers: number;
  close(): void;
}
