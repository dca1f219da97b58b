/**
 * What can be told about a message too large to keep: a streaming scan of its bytes that
 * remembers only the top-level `id` and which top-level keys it has (`method`, `result`,
 * `error`). Memory stays constant however long the message is, so a line over the limit can
 * still be answered with the id of the request it was (JSON-RPC 2.0 section 5: the id of
 * the request in error, when it can be read).
 */
import { isRequestId, type RequestId } from '../../protocol/index.ts';

/** What a scan found. */
export interface OversizeShape {
  /** The top-level `id`, when it was a string or a safe integer of readable size. */
  id: RequestId | null;
  /** It has a top-level `id` key, readable or not. */
  hasId: boolean;
  /** It has a top-level `method`: a request (with `id`) or a notification. */
  hasMethod: boolean;
  /** It has a top-level `result` or `error`: a response. */
  hasOutcome: boolean;
}

/** A streaming scanner; `push` the bytes in order, then read `shape()`. */
export interface OversizeScanner {
  push(bytes: Uint8Array): void;
  shape(): OversizeShape;
}

/** Longest top-level key kept (longer keys are none of the ones looked for). */
const MAX_KEY_BYTES = 8;
/** Longest `id` value kept, as written in the JSON text. */
const MAX_ID_BYTES = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * Create a scanner. It follows strings (with escapes) and nesting depth; only at depth 1 of a
 * top-level object does it look at keys, and it keeps the bytes of the `id` value alone.
 */
export function createOversizeScanner(): OversizeScanner {
  let depth = 0;
  let topIsObject = false;
  let inString = false;
  let escaped = false;
  /** Where the scan is in the top-level object: before a key, in it, before ':', in a value. */
  let state: 'key' | 'in-key' | 'colon' | 'value' | 'after' = 'key';
  let key: number[] = [];
  let capturing: number[] | undefined;
  let idText: string | undefined;
  let idTooLong = false;
  let hasId = false;
  let hasMethod = false;
  let hasOutcome = false;

  function keyName(): string {
    return key.length > MAX_KEY_BYTES ? '' : String.fromCharCode(...key);
  }

  function keep(b: number): void {
    if (!capturing) return;
    if (capturing.length >= MAX_ID_BYTES) {
      capturing = undefined;
      idTooLong = true;
      return;
    }
    capturing.push(b);
  }

  function endValue(): void {
    if (capturing) idText = Buffer.from(capturing).toString('utf8').trim();
    capturing = undefined;
    state = 'after';
  }

  function byteInString(b: number): void {
    if (state === 'in-key' && depth === 1) {
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) {
        inString = false;
        state = 'colon';
        return;
      }
      if (key.length <= MAX_KEY_BYTES) key.push(b);
      return;
    }
    keep(b);
    if (escaped) escaped = false;
    else if (b === BACKSLASH) escaped = true;
    else if (b === QUOTE) {
      inString = false;
      if (depth === 1 && state === 'value') endValue();
    }
  }

  function structural(b: number): void {
    if (b === 0x7b || b === 0x5b) { // { [
      if (depth === 0) topIsObject = b === 0x7b;
      else if (depth === 1) capturing = undefined; // a nested value: not an id we can use
      depth++;
      return;
    }
    if (b === 0x7d || b === 0x5d) { // } ]
      depth--;
      if (depth === 1) state = 'after';
      else if (depth === 0 && capturing) endValue();
      return;
    }
    if (depth !== 1 || !topIsObject) return;
    if (state === 'key' && b === QUOTE) {
      inString = true;
      state = 'in-key';
      key = [];
    } else if (state === 'colon' && b === COLON) {
      const name = keyName();
      if (name === 'method') hasMethod = true;
      if (name === 'result' || name === 'error') hasOutcome = true;
      capturing = name === 'id' ? [] : undefined;
      if (name === 'id') {
        idText = undefined;
        hasId = true;
      }
      state = 'value';
    } else if (state === 'value' && !isSpace(b)) {
      if (b === COMMA) {
        endValue();
        state = 'key';
        return;
      }
      keep(b);
      if (b === QUOTE) inString = true;
    } else if (state === 'after' && b === COMMA) state = 'key';
  }

  return {
    push(bytes) {
      for (const b of bytes) {
        if (inString) byteInString(b);
        else structural(b);
      }
    },
    shape() {
      let id: RequestId | null = null;
      if (idText !== undefined && !idTooLong) {
        try {
          const value: unknown = JSON.parse(idText);
          if (isRequestId(value)) id = value;
        } catch {
          id = null; // not a readable id: the reply goes without one
        }
      }
      return { id, hasId, hasMethod, hasOutcome };
    },
  };
}
