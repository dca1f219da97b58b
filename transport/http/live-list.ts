/**
 * The things of one owner still running (exchanges, for closing to abort them), as a linked
 * list rather than a Set. V8 reallocates a Set's table whenever a delete leaves it below a
 * quarter full, so a Set that an owner with one request at a time fills and empties on every
 * call allocates a table per call; here an entry is one small object and removing it allocates
 * nothing (bench/README.md, "Session 13: the HTTP client's CPU per call").
 */

/** One value's place in a {@link LiveList}; `remove` takes it out. */
export interface LiveEntry<T> {
  readonly value: T;
  /** The list's own links: its neighbours, and whether it is still in. */
  prev: LiveEntry<T> | undefined;
  next: LiveEntry<T> | undefined;
  linked: boolean;
}

/** An insertion-ordered list of running values (see the module comment). */
export class LiveList<T> {
  #first: LiveEntry<T> | undefined;
  #last: LiveEntry<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The oldest entry still in the list, if any. */
  get first(): LiveEntry<T> | undefined {
    return this.#first;
  }

  /** Add `value` at the end; the entry returned takes it out again. */
  add(value: T): LiveEntry<T> {
    const entry: LiveEntry<T> = { value, prev: this.#last, next: undefined, linked: true };
    if (this.#last) this.#last.next = entry;
    else this.#first = entry;
    this.#last = entry;
    this.#size++;
    return entry;
  }

  /** Take `entry` out; a no-op when it is out already. */
  remove(entry: LiveEntry<T>): void {
    if (!entry.linked) return;
    entry.linked = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.#first = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#last = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    this.#size--;
  }

  /** The values in the list now, in order (a copy: the caller may remove entries while it walks it). */
  values(): T[] {
    const values: T[] = [];
    for (let entry = this.#first; entry; entry = entry.next) values.push(entry.value);
    return values;
  }
}
