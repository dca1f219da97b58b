/**
 * How calls look: a progress bar with percent, step and message, elapsed time, and a little
 * colour on a terminal (none when output is piped or NO_COLOR is set).
 */
import { displayWidth } from './wrap.ts';

export interface Paint {
  dim(s: string): string;
  bold(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/** ANSI colours when `enabled`, else identity functions. */
export function createPaint(enabled: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { dim: wrap(2, 22), bold: wrap(1, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/** A number as people write it: 25 not 25.0, at most two decimals. */
export function showNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/**
 * A bar `width` cells wide. With a total it fills in proportion; without one (the spec allows
 * progress with no known total) a short block moves along as progress grows.
 */
export function progressBar(progress: number, total: number | undefined, width = 20): string {
  if (total !== undefined && total > 0) {
    const filled = Math.max(0, Math.min(width, Math.round((progress / total) * width)));
    return '█'.repeat(filled) + '░'.repeat(width - filled);
  }
  const at = Math.floor(progress) % width;
  return Array.from({ length: width }, (_, i) => (Math.abs(i - at) <= 1 ? '▓' : '░')).join('');
}

/** `' 50%'`, or '' without a total. */
export function percentText(progress: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return '';
  return `${String(Math.max(0, Math.min(100, Math.floor((progress / total) * 100)))).padStart(3)}%`;
}

/** `4.2 s`, `1 m 05 s`, `2 h 03 m`. */
export function elapsedText(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

export interface ProgressState {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

/** One progress line: `#1 travel_agent ██████░░░░  50% (5/10) Quoted a trip`. */
export function progressLine(label: string, p: ProgressState, width = 20): string {
  return [label, progressBar(p.progress, p.total, width), progressText(p, true)].join(' ');
}

/** Where a call is, without label or bar: `50% (5/10) Quoted a trip`; `aligned`: the percent padded to 4 cells. */
export function progressText(p: ProgressState, aligned = false): string {
  const pct = aligned ? percentText(p.progress, p.total) : percentText(p.progress, p.total).trimStart();
  const step = p.total !== undefined ? `(${showNumber(p.progress)}/${showNumber(p.total)})` : `(${showNumber(p.progress)})`;
  return [pct, step, p.message ?? ''].filter((x) => x !== '').join(' ');
}

/**
 * Cut a line to `columns` cells on screen (live lines must not wrap, or redrawing goes wrong):
 * a wide character (CJK, emoji) takes two, a colour none. Counted in code points, a line of
 * wide characters was cut at twice the screen's width and wrapped after all.
 */
export function fitLine(line: string, columns: number): string {
  if (displayWidth(line) <= columns) return line;
  const room = Math.max(1, columns - 1); // one cell for the ellipsis
  let out = '';
  let width = 0;
  let coloured = false;
  for (const token of line.split(/(\x1b\[[0-9;?]*[A-Za-z])/)) {
    if (token.startsWith('\x1b[')) {
      out += token;
      coloured = true;
      continue;
    }
    for (const ch of token) {
      const w = displayWidth(ch);
      if (width + w > room) return `${out}${coloured ? '\x1b[0m' : ''}…`;
      out += ch;
      width += w;
    }
  }
  return `${out}…`;
}
