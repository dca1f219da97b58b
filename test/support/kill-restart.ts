/**
 * A kill -9 and a restart of an HTTP server under restart recovery, for restart tests. Two
 * handlers on one store directory stand for the process before and after the kill; the session
 * saves the first makes once `held.on` is set never land (held-saves.ts), as a killed
 * process's would not. The process after restores the sessions and serves one more call of
 * the session, so that anything a restart would run again has run before the test counts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { McpServer } from 'mcpwire/server';
import { createFileEventStore, type SessionEventStore } from 'mcpwire/transport';
import { makeFixture, type Fixture } from '../http-fixture.ts';
import { holdingSaves, saves, type Saves } from './held-saves.ts';

/** The headers of a request of session `sid` at `version`. */
export const sessionHeaders = (sid: string, version: string) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': version });

/** A `tools/call` of `name` with no arguments. */
export const toolCall = (id: number, name: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

/**
 * One server process on `store` with restart recovery, replying in `mode`, no keep-alive and
 * no switch to SSE; `setup` registers the test's tools, and `noop` is there for the call the
 * process after the kill serves.
 */
export function recoveringServer(store: SessionEventStore, mode: 'json' | 'sse', setup: (server: McpServer) => void): Fixture {
  return makeFixture({ eventStore: store, recoverInflight: true, responseMode: mode, jsonSseAfterMs: Infinity, keepAliveMs: 0 }, (server) => {
    setup(server);
    server.tool({ name: 'noop', description: 'Does nothing.', inputSchema: { type: 'object' } }, async () => 'ok');
  });
}

/** What the process after the kill is checked with, once it has restored and served one call. */
export interface AfterRestart {
  /** What `handler.restore()` resolved with (the sessions restored). */
  restored: number;
}

/** One kill -9: the store of the process before it, and the restart. */
export interface Kill {
  held: Saves;
  /** The first process's store; its session saves are held back from `held.on = true`. */
  store: SessionEventStore;
  /**
   * Kills the first process (its store is closed as it is; held saves never land), opens the
   * directory again for the process `serve` makes, restores it, posts a `noop` call (id
   * `probeId`) of session `sid` and checks it answered, that saves were held back and that
   * neither store reported an error; `check` asserts the rest. Both are closed after.
   */
  restart(serve: (store: SessionEventStore) => Fixture, sid: string, version: string, probeId: number, check: (after: AfterRestart) => void): Promise<void>;
}

/** Kills in fresh directories named with `prefix`; `removeAll()` removes them (a suite's `after`). */
export function killedProcesses(prefix: string): { start(): Promise<Kill>; removeAll(): Promise<void> } {
  const dirs: string[] = [];
  return {
    async start() {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      const held = saves();
      const errors: string[] = [];
      const onError = (e: Error) => errors.push(e.message);
      const first = await createFileEventStore({ dir, fsync: 'always', onError });
      return {
        held,
        store: holdingSaves(first, held),
        async restart(serve, sid, version, probeId, check) {
          await first.close();
          const after = await createFileEventStore({ dir, fsync: 'always', onError });
          const next = serve(after);
          try {
            const restored = await next.handler.restore();
            const probe = await next.post(toolCall(probeId, 'noop'), sessionHeaders(sid, version));
            assert.is(probe.status, 200);
            await probe.text();
            assert.ok(held.count > 0, 'the session saves after the call ended were held back');
            check({ restored });
            assert.equal(errors, [], 'the store reported nothing');
          } finally {
            await next.close();
            await after.close();
          }
        },
      };
    },
    async removeAll() {
      await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
