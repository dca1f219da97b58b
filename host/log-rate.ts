/**
 * How many of a server's log messages (2025-11-25 server/utilities/logging) the host shows per
 * second, per call (or per server, for messages that belong to no call). A server may send as
 * many as it likes; printing ten thousand lines a second scrolls every prompt and answer away
 * and makes the terminal the bottleneck. Past the limit, messages are counted, not shown, and
 * one line at the end of that second says how many, and the most severe level among them.
 * Progress lines (2025-11-25 basic/utilities/progress) are bounded the same way: the live line
 * still shows the latest, only the lines left in the scrollback are counted.
 */
import type { LoggingLevel } from 'mcpwire/protocol';

/** Log lines, and progress lines, shown per second per call (`HostOptions.maxLogLinesPerSecond`). Default 20. */
export const DEFAULT_LOG_LINES_PER_SECOND = 20;

const SEVERITY: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export interface LogRate {
  /**
   * True when the message from `source` is to be shown; false when it is counted, and `say`
   * (the last one given for `source`) tells the count once its second ends.
   */
  admit(source: string, level: LoggingLevel | undefined, say: (text: string) => void): boolean;
  /** Say what is still counted now (the host is leaving), and stop the timers. */
  close(): void;
}

export function createLogRate(options: { perSecond?: number; windowMs?: number; noun?: string } = {}): LogRate {
  const noun = options.noun ?? 'log message';
  const perSecond = options.perSecond ?? DEFAULT_LOG_LINES_PER_SECOND;
  const windowMs = options.windowMs ?? 1_000;
  const windows = new Map<string, { shown: number; dropped: number; worst: number; say: (text: string) => void; timer: ReturnType<typeof setTimeout> }>();

  function end(source: string): void {
    const w = windows.get(source);
    if (!w) return;
    windows.delete(source);
    clearTimeout(w.timer);
    if (w.dropped > 0) {
      const worst = w.worst >= 0 ? `; the most severe: ${SEVERITY[w.worst]}` : '';
      w.say(`${w.dropped} more ${noun}${w.dropped === 1 ? '' : 's'} not shown (more than ${perSecond} a second${worst})`);
    }
  }

  return {
    admit(source, level, say) {
      let w = windows.get(source);
      if (!w) {
        const timer = setTimeout(() => end(source), windowMs);
        timer.unref?.();
        w = { shown: 0, dropped: 0, worst: -1, say, timer };
        windows.set(source, w);
      }
      if (w.shown < perSecond) {
        w.shown++;
        return true;
      }
      w.say = say;
      w.dropped++;
      if (level !== undefined) w.worst = Math.max(w.worst, SEVERITY.indexOf(level));
      return false;
    },
    close() {
      for (const source of [...windows.keys()]) end(source);
    },
  };
}
