// The agents server over the memory pair, for end-to-end tests: records in a temporary
// state directory, no pauses between steps, a fixed clock, every message through the tap.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type McpServer } from 'mcpwire/server';
import { createClient, type ClientOptions, type McpClient } from 'mcpwire/client';
import type { LoggingMessageParams } from 'mcpwire/protocol';
import { registerAgents, type Agents, type AgentsOptions } from '../examples/agents/index.ts';
import { linkedPair, type Tapped } from './harness.ts';

/** The fixed "today" of the tests: default dates are three weeks later. */
export const NOW = new Date('2026-04-01T09:00:00Z');

export interface AgentsFixture {
  server: McpServer;
  client: McpClient;
  agents: Agents;
  state: string;
  taps: Tapped;
  logs: LoggingMessageParams[];
  /** `notifications/resources/updated` URIs, in order. */
  updates: string[];
  /** The first `agents://` URI any log message named (the agents announce their record first). */
  uriFromLogs(): string | undefined;
  /** Resolves on the next `resources/updated` for `uri`. */
  nextUpdate(uri: string): Promise<void>;
  read(uri: string): Promise<string>;
  subscribe(uri: string): Promise<void>;
  /** Records of a kind, parsed. */
  records(kind: 'bookings' | 'reports'): Promise<Array<Record<string, any>>>;
  close(): Promise<void>;
}

export async function agentsFixture(opts: { client?: ClientOptions; agents?: AgentsOptions; version?: string; pageSize?: number } = {}): Promise<AgentsFixture> {
  const state = await mkdtemp(join(tmpdir(), 'mcpwire-agents-test-'));
  const server = createServer({ name: 'agents-test', version: '1.0.0' }, opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {});
  const agents = await registerAgents(server, { stateDir: state, stepDelayMs: 0, now: () => NOW, ...opts.agents });
  const logs: LoggingMessageParams[] = [];
  const updates: string[] = [];
  const waiters: Array<{ uri: string; resolve: () => void }> = [];
  const { clientTransport, serverTransport, taps } = linkedPair();
  const client = createClient({ name: 'agents-test-client', version: '1.0.0' }, {
    ...opts.client,
    ...(opts.version ? { protocolVersion: opts.version } : {}),
    onLog: (p, ctx) => { logs.push(p); opts.client?.onLog?.(p, ctx); },
    onNotification: (method, params) => {
      if (method === 'notifications/resources/updated') {
        const uri = String(params?.uri);
        updates.push(uri);
        for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!.uri === uri) waiters.splice(i, 1)[0]!.resolve();
      }
      opts.client?.onNotification?.(method, params);
    },
  });
  const connected = server.connect(serverTransport);
  await client.connect(clientTransport);
  await connected;
  return {
    server, client, agents, state, taps, logs, updates,
    uriFromLogs() {
      for (const l of logs) {
        const m = /agents:\/\/\S+/.exec(String(l.data));
        if (m) return m[0];
      }
      return undefined;
    },
    nextUpdate: (uri) => new Promise((resolve) => { waiters.push({ uri, resolve }); }),
    async read(uri) {
      const r = await client.peer.request('resources/read', { uri });
      const first = r.contents[0] as { text?: string } | undefined;
      return first?.text ?? '';
    },
    async subscribe(uri) {
      await client.peer.request('resources/subscribe', { uri });
    },
    async records(kind) {
      const dir = join(state, 'agents', kind);
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
      return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8'))));
    },
    async close() {
      await client.close();
      await server.close();
      await agents.close();
      await rm(state, { recursive: true, force: true });
    },
  };
}
