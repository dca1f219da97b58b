/**
 * The SSE text of a server stream's events (server-stream.ts) from the ids its store gave: a
 * memory store's ids are minted safe and written as they are (what it buys: the id's three
 * scans on every reply, bench/README "Session 35: bytes7"); another store's are checked, and
 * one SSE cannot carry is left out and reported rather than let forge fields.
 */
import { LocalErrorCode, McpError } from '../../protocol/index.ts';
import { encodeSseJson, encodeSsePriming } from '../sse/index.ts';
import { encodeSseJsonMinted, encodeSsePrimingMinted } from '../sse/encode.ts';
import type { StreamSettings } from './server-stream-options.ts';

/** A message's event: `json` with the store's `id` (none when the store kept nothing). */
export function eventText(settings: StreamSettings, json: string, id: string | undefined): string {
  return settings.sync ? encodeSseJsonMinted(json, id) : checkedEvent(settings, json, id);
}

/** 2025-11-25 basic/transports: the priming event, the stream's start id and a retry hint. */
export function primingText(settings: StreamSettings, startId: string, retryMs: number): string {
  return settings.sync ? encodeSsePrimingMinted(startId, retryMs) : encodeSsePriming(startId, retryMs);
}

/**
 * Another store's id with CR, LF or NUL would end the `id:` field early and forge the fields
 * after it: the message goes without an id (a resume cannot start after it), reported, and
 * the stream goes on (it hung: the step failed before its last message ended the reply).
 */
function checkedEvent(settings: StreamSettings, json: string, id: string | undefined): string {
  try {
    return encodeSseJson(json, id);
  } catch (error) {
    settings.onError(new McpError(LocalErrorCode.Store, `the event store gave the event id ${JSON.stringify(id)}, which SSE cannot carry (CR, LF or NUL): the message was sent without an id, so a resume cannot start after it`, { cause: error }));
    return encodeSseJson(json);
  }
}
