/**
 * Progress, cancellation, logging and completion (2025-11-25 basic/utilities/progress,
 * basic/utilities/cancellation, server/utilities/logging, server/utilities/completion).
 */
import type { BaseNotificationParams, BaseRequestParams, ProgressToken, Result } from './base.ts';
import type { RequestId } from '../jsonrpc.ts';

export interface ProgressParams extends BaseNotificationParams {
  progressToken: ProgressToken;
  progress: number;
  total?: number;
  message?: string;
}

export interface CancelledParams extends BaseNotificationParams {
  requestId?: RequestId;
  reason?: string;
}

/** RFC 5424 severities, lowest first. */
export const LOGGING_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LoggingLevel = (typeof LOGGING_LEVELS)[number];

export interface SetLevelParams extends BaseRequestParams {
  level: LoggingLevel;
}

export interface LoggingMessageParams extends BaseNotificationParams {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

export type CompletionReference = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };

export interface CompleteParams extends BaseRequestParams {
  ref: CompletionReference;
  argument: { name: string; value: string };
  context?: { arguments?: Record<string, string> };
}

export interface CompleteResult extends Result {
  completion: { values: string[]; total?: number; hasMore?: boolean };
}
