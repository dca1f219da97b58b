/**
 * The schema checks a server still waits for: a schema that is not plain (schema-plain-subset.ts),
 * registered before ajv has loaded, is checked once it has (validation.ts), since registration
 * is synchronous and ajv comes by `import()` (issue #20 item 3). Tools, prompts (`argsSchema`)
 * and resource templates (`variables`) track theirs here; `server.ready()` and `connect()`
 * wait for them (server.ts).
 */
import { LocalErrorCode, McpError } from '../protocol/errors.ts';

export interface SchemaChecks {
  /**
   * Track the checks `waits` of one registered item. A refusal is reported, takes the item out
   * (`takeOut`: as a refusal at registration would have kept it out) and rejects
   * {@link pending}; a failed load of ajv (a chunk missing from a bundle) is only reported (the
   * item's checks load it again).
   */
  track(waits: ReadonlyArray<Promise<void> | undefined>, takeOut: () => void): void;
  /** Undefined when nothing is being checked; else every check still running, rejecting with the first refusal. */
  pending(): Promise<void> | undefined;
}

/** Checks reported to `onRefused` (the server's `onError`) when one fails. */
export function createSchemaChecks(onRefused?: (error: Error) => void): SchemaChecks {
  const checks = new Set<Promise<void>>();
  return {
    track(waits, takeOut) {
      const running = waits.filter((wait) => wait !== undefined);
      if (running.length === 0) return;
      const check: Promise<void> = Promise.all(running).then(() => { checks.delete(check); }, (error: Error) => {
        checks.delete(check);
        onRefused?.(error);
        if (!(error instanceof McpError && error.code === LocalErrorCode.Validation)) return;
        takeOut();
        throw error;
      });
      check.catch(() => {}); // thrown to whoever waits in pending(), reported above
      checks.add(check);
    },
    pending: () => (checks.size === 0 ? undefined : Promise.all(checks).then(() => {})),
  };
}
