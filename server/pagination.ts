/**
 * Opaque pagination cursors (2025-11-25 server/utilities/pagination): clients must not
 * parse them, an invalid one gets -32602. A cursor names the list it belongs to, so one
 * list's cursor is refused by another.
 */
import { ErrorCode, RpcError } from '../protocol/index.ts';
import { decodeBase64Url, encodeBase64Url } from '../protocol/base64.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Default number of items per page of every list. */
export const DEFAULT_PAGE_SIZE = 100;

export function encodeCursor(list: string, offset: number): string {
  return encodeBase64Url(encoder.encode(`${list}:${offset}`));
}

/**
 * The offset a cursor stands for; throws -32602 for anything we did not issue (2025-11-25
 * server/utilities/pagination: invalid cursors SHOULD be -32602).
 */
export function decodeCursor(list: string, cursor: unknown): number {
  if (cursor === undefined) return 0;
  if (typeof cursor !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'Invalid cursor: must be a string');
  const bytes = decodeBase64Url(cursor);
  const text = bytes ? decoder.decode(bytes) : '';
  const prefix = `${list}:`;
  const offset = text.startsWith(prefix) ? Number(text.slice(prefix.length)) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0 || encodeCursor(list, offset) !== cursor) {
    throw new RpcError(ErrorCode.InvalidParams, `Invalid cursor for ${list}`);
  }
  return offset;
}

/** One page of `items` from the cursor, with `nextCursor` when more remain. */
export function paginate<T>(list: string, items: readonly T[], cursor: unknown, pageSize: number): { page: T[]; nextCursor?: string } {
  const offset = decodeCursor(list, cursor);
  if (offset > items.length) throw new RpcError(ErrorCode.InvalidParams, `Invalid cursor for ${list}: past the end`);
  const end = offset + pageSize;
  const page = items.slice(offset, end);
  return end < items.length ? { page, nextCursor: encodeCursor(list, end) } : { page };
}

/** A list's result: the page of `items` from the cursor under the member `list`, and `nextCursor` when more remain. */
export function listPage<K extends string, T>(list: K, items: readonly T[], cursor: unknown, pageSize: number): Record<K, T[]> & { nextCursor?: string } {
  const { page, nextCursor } = paginate(list, items, cursor, pageSize);
  const result = { [list]: page } as Record<K, T[]> & { nextCursor?: string };
  if (nextCursor !== undefined) result.nextCursor = nextCursor;
  return result;
}
