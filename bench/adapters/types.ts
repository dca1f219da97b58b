/**
 * What an implementation provides to the benchmark: a server that serves the bench tool
 * set, and a client that calls it. Each adapter module exports `server` and `client`;
 * the server side runs in its own process (bench/server-main.ts), the client side in
 * another (bench/client-main.ts), so neither measures the other.
 *
 * The bench tool set, the same on every server:
 * - `echo {text}`: returns `text` as one text block.
 * - `progress {steps}`: sends `steps` progress notifications (1..steps) on the call's SSE
 *   stream, then returns `done <steps>`.
 * - `elicit {rounds}` / `sample {rounds}`: asks the client `rounds` times in sequence
 *   (`elicitation/create` / `sampling/createMessage`), then returns the number answered.
 * - `stats {gc}`: the server process's {@link ServerStats}, as JSON text.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server process is asked to serve. */
export interface ServeOptions {
  transport: 'http' | 'stdio';
  /** HTTP: answer with JSON bodies instead of SSE streams. */
  json: boolean;
  /** HTTP: keep stream history so clients can resume with `Last-Event-ID`. */
  resumable: boolean;
  /** Put `mcpwire trace` (its own process, live view off) between client and server. */
  trace?: boolean;
  /** HTTP: serve the 2026-07-28 era only (stateless; no sessions). */
  era?: 'modern';
  /** The echo tool's input schema is a Standard Schema (zod), validated by `~standard.validate`. */
  standardSchema?: boolean;
  /** Several mcpwire instances on Redis behind a proxy, run by the orchestrator (bench/scale.ts). */
  scale?: boolean;
}

/** A running HTTP server. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The server half of an adapter; `serveStdio` resolves when the client closes stdin. */
export interface ServerAdapter {
  serveHttp(options: ServeOptions, stats: StatsSource): Promise<RunningServer>;
  serveStdio(stats: StatsSource): Promise<void>;
}

/** Counters the server process keeps; `stats` reads them. */
export interface StatsSource {
  /** Calls of the `progress` tool that ran to their end. */
  progressDone: number;
  read(gc: boolean): ServerStats;
}

/** What the `stats` tool returns. */
export interface ServerStats {
  /** User + system CPU time of the server process, in microseconds. */
  cpuUs: number;
  rss: number;
  heapUsed: number;
  progressDone: number;
}

/** Counts of the client's answers to server requests (to check none was lost). */
export interface ClientCounters {
  elicited: number;
  sampled: number;
}

/** One connected client session. */
export interface BenchSession {
  echo(text: string): Promise<string>;
  progress(steps: number, onProgress: (value: number) => void): Promise<string>;
  elicit(rounds: number): Promise<string>;
  sample(rounds: number): Promise<string>;
  stats(gc: boolean): Promise<ServerStats>;
  close(): Promise<void>;
}

/** Calls one bench tool and resolves with its text (an error result rejects). */
export type ToolCaller = (name: string, args: Record<string, unknown>, onProgress?: (value: number) => void) => Promise<string>;

/** The bench session of an MCP client: each operation is a call of the bench tool of that name. */
export function toolSession(call: ToolCaller, close: () => Promise<void>): BenchSession {
  return {
    echo: (text) => call('echo', { text }),
    progress: (steps, onProgress) => call('progress', { steps }, onProgress),
    elicit: (rounds) => call('elicit', { rounds }),
    sample: (rounds) => call('sample', { rounds }),
    stats: async (gc) => parseStats(await call('stats', { gc })),
    close,
  };
}

/** Listen on 127.0.0.1 (a free port) and serve the MCP endpoint `/mcp`; close ends every connection. */
export async function listenLoopback(server: Server): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** How a stdio client launches its server. */
export interface StdioCommand {
  command: string;
  args: string[];
}

/** The client half of an adapter. */
export interface ClientAdapter {
  connectHttp(url: string, counters: ClientCounters): Promise<BenchSession>;
  connectStdio(server: StdioCommand, counters: ClientCounters): Promise<BenchSession>;
}

/** The answers every client gives (fresh objects), so the servers see identical traffic. */
export const elicitAnswer = () => ({ action: 'accept' as const, content: { answer: 'yes' } });
export const sampleAnswer = () => ({ role: 'assistant' as const, content: { type: 'text' as const, text: 'ok' }, model: 'bench' });
export const ELICIT_SCHEMA = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } as const;

/** Parse the `stats` tool's text. */
export function parseStats(text: string): ServerStats {
  const value = JSON.parse(text) as ServerStats;
  if (typeof value.cpuUs !== 'number' || typeof value.rss !== 'number') throw new Error(`bad stats reply: ${text.slice(0, 200)}`);
  return value;
}

/** The text of a call result's first block (every bench tool answers with one text block). */
export function firstText(result: { content?: unknown }): string {
  const blocks = result.content as Array<{ type: string; text?: string }> | undefined;
  const first = blocks?.[0];
  if (!first || first.type !== 'text' || typeof first.text !== 'string') throw new Error(`unexpected tool result: ${JSON.stringify(result).slice(0, 200)}`);
  return first.text;
}
