/**
 * The check of what `createServer` is given that goes on the wire as given: its `info`
 * (`serverInfo`), `instructions` and declared `capabilities`. Without it a JavaScript caller's
 * `createServer(undefined)` answered `initialize` with no `serverInfo`, `instructions: 5` was
 * sent as a number and `capabilities: 'tools'` as `{"0":"t","1":"o",...}`: schema violations
 * every client received, and no error anywhere.
 */
import type { Implementation } from '../protocol/index.ts';
import { checkImplementation, shown } from '../protocol/wrong-arguments.ts';

/** A TypeError naming the first argument of `createServer` that is not of the kind the schema asks. */
export function checkServerArguments(info: Implementation, options: { readonly instructions?: unknown; readonly capabilities?: unknown }): void {
  checkImplementation('createServer', info);
  if (options.instructions !== undefined && typeof options.instructions !== 'string') {
    throw new TypeError(`instructions must be a string, got ${shown(options.instructions)}`);
  }
  const declared: unknown = options.capabilities;
  if (declared !== undefined && (typeof declared !== 'object' || declared === null || Array.isArray(declared))) {
    throw new TypeError(`capabilities must be an object (ServerCapabilities), got ${shown(declared)}`);
  }
}

/**
 * `definition` when it is an object, else a TypeError: `server.tool('name', handler)` (another
 * SDK's form) was refused as "invalid tool name undefined", `server.prompt(undefined, ...)` as
 * "Cannot read properties of undefined (reading 'complete')".
 */
export function definitionObject<T>(method: string, definition: T): T {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(`server.${method} takes a definition object, then its handler; got ${shown(definition)}`);
  }
  return definition;
}
