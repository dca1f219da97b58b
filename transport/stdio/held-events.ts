/**
 * What the stdio client's line decoder reports while a module it needs is loading (the routing
 * of a line over `maxLineBytes`, loaded on the first such line): the events are held, in the
 * order they came, and run once the load settles, so nothing is lost or reordered.
 *
 * The bound: the source (the server's stdout) is paused for the load, so no chunk arrives
 * meanwhile. What is held is what the chunk being decoded when the load began still carried
 * (a pipe hands over at most its highWaterMark at a time, 64 KiB by default) and views of the
 * bytes of the long line that the decoder held already (at most `maxLineBytes` + 1): nothing
 * more than the client held before the load began.
 */

/** A paused-while-held source: a Node readable stream. */
export interface HeldSource {
  pause(): void;
  resume(): void;
}

/** Events held while a load is under way. */
export interface HeldEvents {
  /** A load is under way: pass events to `add`, not run them. A data property, not a getter: read for every line (bench h). */
  readonly holding: boolean;
  /** Hold `event` until the load settles. */
  add(event: () => void): void;
  /**
   * Hold events from now until `loading` settles (pausing `source`), then run them in order
   * and resume `source` unless `mayResume()` says no (it was paused for another reason, or it
   * is done). A failed load goes to `onLoadError` before the held events run.
   */
  until(loading: Promise<unknown>): void;
}

/** Create the held events of one source (see the module comment). */
export function createHeldEvents(source: HeldSource, mayResume: () => boolean, onLoadError: (error: unknown) => void): HeldEvents {
  let queue: Array<() => void> = [];
  const release = (): void => {
    const events = queue;
    queue = [];
    held.holding = false;
    for (let at = 0; at < events.length; at++) {
      events[at]!();
      // An event that began another load: the rest wait for that one, still in order.
      if (held.holding) return void queue.push(...events.slice(at + 1));
    }
    if (mayResume()) source.resume();
  };
  const held = {
    holding: false,
    add(event: () => void) {
      queue.push(event);
    },
    until(loading: Promise<unknown>) {
      held.holding = true;
      source.pause();
      loading.then(release, (error: unknown) => {
        onLoadError(error);
        release();
      });
    },
  };
  return held;
}
