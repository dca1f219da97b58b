/**
 * The line format of the file store's logs: one JSON object per line, `\n`-terminated, in a
 * file per session. Lines are only ever appended, then rewritten whole by compaction.
 *
 * - header, always the first line: `{"t":"h","v":2,"session":"<sessionId>","key":"<hex>",...}`;
 *   `key` tags the session's stream tokens (event-id.ts), so a dropped stream answers 410.
 * - stream: `{"t":"s","k":"<streamToken>","s":"<streamId>","base":<n>,...}` maps a token to
 *   its stream; written before the stream's first event. Events up to `base` are gone.
 * - session metadata: `{"t":"m","v":{...},...}`; the last one wins.
 * - event: `{"k":"<streamToken>","n":<seq>,"m":<message>,...}`; the fixed prefix lets a
 *   reader pick one stream's lines without parsing the others.
 * - end: `{"t":"x","k":"<streamToken>","at":<ms>,...}`: the stream is finished (no event
 *   follows); retention drops it later.
 * - drop: `{"t":"d","k":"<streamToken>",...}`: retention dropped the stream; its lines are
 *   dead until compaction removes them.
 * - epoch: `{"t":"j","k":"<streamToken>","from":<seq>,"to":<seq>,...}`: the stream's seqs jump
 *   from `from` to `to` (its next event's), past ids a previous process may have sent
 *   (log-epochs.ts). A version without it reads it as damage, then the jump as a gap (410).
 *
 * Every record ends with `,"c":"<crc32>"}`: the CRC-32 (8 hex digits) of the line's bytes
 * before `,"c":`. A record whose checksum does not match is damage, never replayed. Logs of
 * version 1 (header `"v":1`) were written without checksums: their unsealed lines still load.
 */
import { isObject } from '../../protocol/jsonrpc.ts';
import { crc32Hex } from './crc32.ts';
import { newTagKey } from './event-id.ts';

/** A parsed log line. */
export type LogRecord =
  | { t: 'h'; session: string; version: number; key: string | undefined }
  | { t: 's'; token: string; streamId: string; base: number }
  | { t: 'm'; meta: string }
  | { t: 'e'; token: string; seq: number; message: unknown }
  | { t: 'x'; token: string; at: number }
  | { t: 'd'; token: string }
  | { t: 'j'; token: string; from: number; to: number };

/** The log format written by this version. */
export const LOG_VERSION = 2;

/** `,"c":"` + 8 hex digits + `"}` */
const SEAL_BYTES = 16;
const SEAL_HEAD = Buffer.from(',"c":"', 'latin1');

/** Close `body` (a JSON object without its final `}`) with its checksum and a newline. */
export function sealLine(body: string): Buffer {
  const line = Buffer.from(`${body},"c":"00000000"}\n`, 'utf8');
  const end = line.length - 1 - SEAL_BYTES;
  line.write(crc32Hex(line, 0, end), end + SEAL_HEAD.length, 'latin1');
  return line;
}

/**
 * Seal a complete unsealed line (a version 1 record, without its `\n`) as compaction copies
 * it into a version 2 log.
 */
export function resealLine(line: Buffer): Buffer {
  return sealLine(line.toString('utf8', 0, line.length - 1));
}

/** Whether `line` (without `\n`) carries a checksum, and whether it matches. */
export function checkSeal(line: Buffer): 'ok' | 'bad' | 'none' {
  const at = line.length - SEAL_BYTES;
  if (at < 1 || line[line.length - 1] !== 0x7d || line[line.length - 2] !== 0x22 || SEAL_HEAD.compare(line, at, at + SEAL_HEAD.length) !== 0) {
    return 'none';
  }
  return line.toString('latin1', at + SEAL_HEAD.length, line.length - 2) === crc32Hex(line, 0, at) ? 'ok' : 'bad';
}

/** The header line of a session's log; `key` in hex. */
export function headerLine(sessionId: string, key: string): Buffer {
  return sealLine(`{"t":"h","v":${LOG_VERSION},"session":${JSON.stringify(sessionId)},"key":"${key}"`);
}

/** The record that maps `token` to its stream. */
export function streamLine(token: string, streamId: string, base: number): Buffer {
  return sealLine(`{"t":"s","k":"${token}","s":${JSON.stringify(streamId)},"base":${base}`);
}

/** A session metadata record; `json` is the serialized metadata. */
export function metaLine(json: string): Buffer {
  return sealLine(`{"t":"m","v":${json}`);
}

/** The start of every event line of the stream with `token`. */
export function eventPrefix(token: string): string {
  return `{"k":"${token}","n":`;
}

/** An event line; `json` is the serialized message (one concatenation, no re-encoding). */
export function eventLine(token: string, seq: number, json: string): Buffer {
  return sealLine(`${eventPrefix(token)}${seq},"m":${json}`);
}

/** The record of a finished stream, `at` ms since the epoch. */
export function endLine(token: string, at: number): Buffer {
  return sealLine(`{"t":"x","k":"${token}","at":${at}`);
}

/** The record of a stream dropped by retention. */
export function dropLine(token: string): Buffer {
  return sealLine(`{"t":"d","k":"${token}"`);
}

/** The record of a new epoch of a stream's seqs: its seqs jump from `from` to `to` (log-epochs.ts). */
export function jumpLine(token: string, from: number, to: number): Buffer {
  return sealLine(`{"t":"j","k":"${token}","from":${from},"to":${to}`);
}

const TOKEN = /^[A-Za-z0-9_-]{22}$/;
const KEY = /^[0-9a-f]{32}$/;
const EVENT_HEAD = /^\{"k":"([A-Za-z0-9_-]{22})","n":([1-9][0-9]{0,15}),/;

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

const isToken = (k: unknown): k is string => typeof k === 'string' && TOKEN.test(k);

/** Parse the JSON of one line (without its `\n`), or `undefined` when it is not a valid record. */
export function parseRecord(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined; // the caller reports the line: torn or corrupt
  }
  if (!isObject(value)) return undefined;
  const { t, k } = value;
  if (t === undefined) {
    const { n, m } = value;
    if (!isToken(k) || !isSeq(n) || n === 0 || !isObject(m)) return undefined;
    return { t: 'e', token: k, seq: n, message: m };
  }
  switch (t) {
    case 'h': {
      const version = value.v ?? 1;
      const key = typeof value.key === 'string' && KEY.test(value.key) ? value.key : undefined;
      return typeof value.session === 'string' && isSeq(version) ? { t: 'h', session: value.session, version, key } : undefined;
    }
    case 's':
      return isToken(k) && typeof value.s === 'string' && isSeq(value.base) ? { t: 's', token: k, streamId: value.s, base: value.base } : undefined;
    case 'm':
      return isObject(value.v) ? { t: 'm', meta: JSON.stringify(value.v) } : undefined;
    case 'x':
      return isToken(k) && isSeq(value.at) ? { t: 'x', token: k, at: value.at } : undefined;
    case 'd':
      return isToken(k) ? { t: 'd', token: k } : undefined;
    case 'j':
      return isToken(k) && isSeq(value.from) && isSeq(value.to) && value.to > value.from + 1 ? { t: 'j', token: k, from: value.from, to: value.to } : undefined;
    default:
      return undefined;
  }
}

/**
 * Check and parse one line (without its `\n`). `legacy` (a version 1 log) admits lines
 * without a checksum. `undefined` when the line is damaged or no record.
 */
export function readRecord(line: Buffer, legacy: boolean): LogRecord | undefined {
  const seal = checkSeal(line);
  if (seal === 'bad' || (seal === 'none' && !legacy)) return undefined;
  return parseRecord(line.toString('utf8'));
}

/** Token and seq of an event line, read from its fixed prefix only (compaction, damage reports). */
export function peekEvent(line: Buffer): { token: string; seq: number } | undefined {
  const m = EVENT_HEAD.exec(line.toString('latin1', 0, 64));
  return m ? { token: m[1]!, seq: Number(m[2]) } : undefined;
}

/** A new tag key for a log's stream tokens, in hex (see event-id.ts). */
export function hexKey(): string {
  return Buffer.from(newTagKey()).toString('hex');
}
