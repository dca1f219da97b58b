/**
 * The line format of the file store's logs: one JSON object per line, `\n`-terminated, in a
 * file per session. Lines are only ever appended, then rewritten whole by compaction.
 *
 * - header, always the first line: `{"t":"h","v":1,"session":"<sessionId>"}`
 * - stream: `{"t":"s","k":"<streamToken>","s":"<streamId>","base":<n>}` maps a token to its
 *   stream; written before the stream's first event. Events up to `base` are gone (after a
 *   compaction dropped them).
 * - session metadata: `{"t":"m","v":{...}}`; the last one wins.
 * - event: `{"k":"<streamToken>","n":<seq>,"m":<message>}`; the fixed prefix lets a reader
 *   pick one stream's lines without parsing the others.
 */
import { isObject } from '../../protocol/jsonrpc.ts';

/** A parsed log line. */
export type LogRecord =
  | { t: 'h'; session: string }
  | { t: 's'; token: string; streamId: string; base: number }
  | { t: 'm'; meta: string }
  | { t: 'e'; token: string; seq: number; message: unknown };

/** The header line of a session's log. */
export function headerLine(sessionId: string): string {
  return `{"t":"h","v":1,"session":${JSON.stringify(sessionId)}}\n`;
}

/** The record that maps `token` to its stream. */
export function streamLine(token: string, streamId: string, base: number): string {
  return `{"t":"s","k":"${token}","s":${JSON.stringify(streamId)},"base":${base}}\n`;
}

/** A session metadata record; `json` is the serialized metadata. */
export function metaLine(json: string): string {
  return `{"t":"m","v":${json}}\n`;
}

/** The start of every event line of the stream with `token`. */
export function eventPrefix(token: string): string {
  return `{"k":"${token}","n":`;
}

/** An event line; `json` is the serialized message (one concatenation, no re-encoding). */
export function eventLine(token: string, seq: number, json: string): string {
  return `${eventPrefix(token)}${seq},"m":${json}}\n`;
}

const TOKEN = /^[A-Za-z0-9_-]{22}$/;
const EVENT_HEAD = /^\{"k":"([A-Za-z0-9_-]{22})","n":([1-9][0-9]{0,15}),/;

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Parse one line (without its `\n`), or `undefined` when it is not a valid record. */
export function parseRecord(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined; // the caller reports the line: torn or corrupt
  }
  if (!isObject(value)) return undefined;
  if (value.t === undefined) {
    const { k, n, m } = value;
    if (typeof k !== 'string' || !TOKEN.test(k) || !isSeq(n) || n === 0 || !isObject(m)) return undefined;
    return { t: 'e', token: k, seq: n, message: m };
  }
  if (value.t === 'h') return typeof value.session === 'string' ? { t: 'h', session: value.session } : undefined;
  if (value.t === 's') {
    const { k, s, base } = value;
    if (typeof k !== 'string' || !TOKEN.test(k) || typeof s !== 'string' || !isSeq(base)) return undefined;
    return { t: 's', token: k, streamId: s, base };
  }
  if (value.t === 'm') return isObject(value.v) ? { t: 'm', meta: JSON.stringify(value.v) } : undefined;
  return undefined;
}

/** Token and seq of an event line, read from its fixed prefix only (for compaction). */
export function peekEvent(line: Buffer): { token: string; seq: number } | undefined {
  const m = EVENT_HEAD.exec(line.toString('latin1', 0, 64));
  return m ? { token: m[1]!, seq: Number(m[2]) } : undefined;
}
