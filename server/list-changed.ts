/**
 * List-changed events (2025-11-25 server/tools, server/resources, server/prompts: list
 * changed notification), published on the server event bus. Changes made in one synchronous
 * burst (registering ten prompts in a loop) become one event.
 */
import type { ServerEvent } from './event-bus.ts';

/** Returns `changed()`: call it after every change to `list`; one event follows per burst. */
export function createListChangedNotifier(list: 'tools' | 'resources' | 'prompts', publish: (event: ServerEvent) => void): () => void {
  const event: ServerEvent = { type: 'list_changed', list };
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    publish(event);
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };
}
