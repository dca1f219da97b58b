/** `--jsonl FILE`: one JSON record per traced message, written as it is seen (a crash keeps what came before). */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TraceRecord, TraceSink } from './record.ts';

export interface JsonlSink {
  readonly sink: TraceSink;
  close(): void;
}

export function createJsonlSink(path: string): JsonlSink {
  const fd = openSync(path, 'w', 0o600);
  let open = true;
  return {
    sink: (record: TraceRecord) => { if (open) writeSync(fd, `${JSON.stringify(record)}\n`); },
    close: () => {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
