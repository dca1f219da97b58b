/** The servers `mcpwire serve` serves: the demo tools, the agents, the conformance fixtures (bin/serve.ts). */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type McpServer } from 'mcpwire/server';
import { createFileTaskStore, createMemoryTaskStore } from 'mcpwire/transport';
import { registerAgents, registerDemoTools } from 'mcpwire/examples';
import type { RequestId } from 'mcpwire/protocol';
import { UsageError } from './args.ts';
import { reportServeError, say } from './serve-report.ts';
import type { ServeRedis } from './serve-redis.ts';

/** Closes an HTTP connection of a session's request (the fixtures' test_reconnection); false when none. */
export type CloseConnection = (sessionId: string | undefined, requestId: RequestId) => boolean;

export interface AgentFlags {
  state: string | undefined;
  /** `--tasks-legacy-owner-issuer`. */
  legacyOwnerIssuer: string | undefined;
  records: string | undefined;
  corpus: string | undefined;
  stepMs: number | undefined;
}

/** The agents server: its tools, their records, and a way to drop a temporary records folder. */
export async function buildAgentsServer(flags: AgentFlags, redis?: ServeRedis): Promise<{ server: McpServer; close(): Promise<void> }> {
  const onError = reportServeError;
  // Bookings and reports may run as tasks (issue #15 item 6), kept beside the records, or in
  // Redis with --redis so any instance can answer for a task and take it over (issue #18).
  const store = redis ? redis.taskStore : flags.state === undefined
    ? createMemoryTaskStore()
    : await inState(flags.state, () => createFileTaskStore({ dir: join(flags.state!, 'tasks'), onError: (e) => say(`task store: ${e.message}`) }));
  const server = createServer({ name: 'mcpwire-agents', version: '0.1.0' }, {
    tasks: { store, ...redis?.taskLease, ...legacyOwner(flags.legacyOwnerIssuer) },
    instructions: 'Long-running agents. travel_agent plans and books a trip, asking the user to confirm the price; '
      + 'research_agent researches a local corpus and returns a cited report. Both report progress and write '
      + 'resources (agents://bookings/{id}, agents://reports/{id}) that can be read and subscribed to.',
    onError, ...(redis ? { eventBus: redis.eventBus } : {}),
  });
  const agents = await registerAgents(server, {
    ...(flags.state !== undefined ? { stateDir: flags.state } : {}),
    ...(flags.records !== undefined ? { recordsDir: flags.records } : {}),
    ...(flags.corpus !== undefined ? { corpusDir: flags.corpus } : {}),
    ...(flags.stepMs !== undefined ? { stepDelayMs: flags.stepMs } : {}),
    onNotice: (message) => say(message),
  }).catch((error: unknown) => {
    // The corpus loader names the folder, not the flag that gave it.
    if (flags.corpus !== undefined && error instanceof Error && /corpus/.test(error.message)) throw new UsageError(`--corpus: ${error.message}`);
    // So does the record store (STATE/agents without --records).
    if (error instanceof Error && /^the records folder/.test(error.message)) {
      if (flags.records !== undefined) throw new UsageError(`--records: ${error.message}`);
      if (flags.state !== undefined) throw new UsageError(`--state ${flags.state}: ${error.message}`);
    }
    throw error;
  });
  process.stderr.write(`mcpwire serve: agents ready; records in ${agents.recordsDir}; ${agents.corpus.documents.length} documents in the ${agents.corpus.name} corpus\n`);
  return { server, close: () => agents.close() };
}

/**
 * `open` (a store, a key file in `--state DIR`), its failure a usage error naming the flag:
 * `--state /proc/self` said only "ENOENT: no such file or directory, mkdir '/proc/self/tasks'".
 */
export async function inState<T>(state: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--state ${state} cannot hold the server's state: ${(error as Error).message}`);
  }
}

/** The tasks option `--tasks-legacy-owner-issuer` gives, when given. */
const legacyOwner = (issuer: string | undefined) => (issuer === undefined ? {} : { legacyOwnerIssuer: issuer });

/**
 * The conformance fixture server, offering tasks: kept in `state`/tasks when given (they
 * survive kill -9 and are resumed once the tools are registered), else in memory.
 */
async function buildFixtureServer(state: string | undefined, effects: string | undefined, legacyOwnerIssuer: string | undefined, closeConnection: CloseConnection, redis?: ServeRedis): Promise<McpServer> {
  const onError = reportServeError;
  const store = redis ? redis.taskStore : state === undefined
    ? createMemoryTaskStore()
    : await inState(state, () => createFileTaskStore({ dir: join(state, 'tasks'), onError: (e) => say(`task store: ${e.message}`) }));
  const server = createServer({ name: 'mcpwire-fixtures', version: '0.1.0' }, { onError, tasks: { store, ...redis?.taskLease, ...legacyOwner(legacyOwnerIssuer) }, ...(redis ? { eventBus: redis.eventBus } : {}) });
  // Loaded here: mcpwire/conformance carries the checker and the tracer, ~0.5 s of module
  // loading that every other `mcpwire serve` (the agents, `--stdio` spawned per client) paid.
  const { registerFixtures, registerFixtureTaskTools } = await import('mcpwire/conformance');
  registerFixtures(server, { closeConnection });
  const effectsFile = effects ?? (state === undefined ? undefined : join(state, 'fixture-effects.log'));
  if (effectsFile !== undefined) await checkEffectsFile(effectsFile, effects === undefined ? '--state' : '--fixture-effects');
  registerFixtureTaskTools(server, effectsFile === undefined ? {} : { effectsFile });
  return server;
}

/** Refuse at start an effects file that is there and not a regular file (a FIFO would fail each task that records). */
async function checkEffectsFile(file: string, flag: string): Promise<void> {
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return undefined; throw new UsageError(`${flag}: the fixture effects file ${file} cannot be read: ${e.code ?? e.message}`); });
  if (info !== undefined && !info.isFile()) throw new UsageError(`${flag}: the fixture effects file ${file} is ${info.isFIFO() ? 'a FIFO' : info.isDirectory() ? 'a directory' : 'not a regular file'}: remove it, or name another with --fixture-effects`);
}

/** The demo server, or with `fixtures` the conformance fixture server. */
export async function buildServer(fixtures: boolean, state: string | undefined, effects: string | undefined, legacyOwnerIssuer: string | undefined, closeConnection: CloseConnection, redis?: ServeRedis): Promise<McpServer> {
  const onError = reportServeError;
  if (fixtures) return buildFixtureServer(state, effects, legacyOwnerIssuer, closeConnection, redis);
  const server = createServer({ name: 'mcpwire-demo', version: '0.1.0' }, {
    instructions: 'Demo tools: echo, count (progress), ask_user (elicitation), summarize (sampling).',
    onError, ...(redis ? { eventBus: redis.eventBus } : {}),
  });
  registerDemoTools(server);
  return server;
}
