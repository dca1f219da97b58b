/** Log level filtering (2025-11-25 server/utilities/logging: RFC 5424 levels). */
import { LOGGING_LEVELS, type LoggingLevel } from '../protocol/index.ts';

const rank = new Map<string, number>(LOGGING_LEVELS.map((level, i) => [level, i]));

export function isLoggingLevel(value: unknown): value is LoggingLevel {
  return typeof value === 'string' && rank.has(value);
}

/** True when a message at `level` passes a minimum of `minimum` (undefined: everything passes). */
export function passesLevel(level: LoggingLevel, minimum: LoggingLevel | undefined): boolean {
  if (minimum === undefined) return true;
  return (rank.get(level) ?? 0) >= (rank.get(minimum) ?? 0);
}
