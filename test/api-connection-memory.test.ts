// What one connection costs an embedder who serves many in process (`serveEras` over memory
// pairs, as a gateway or a test harness does) or one per stdio child. Each 2026-07-28
// connection's dispatcher allocated its request-state replay memory at its full default size
// (10 000 slots: an 80 KB array and an 80 KB Float64Array) before any state was issued: 160 KB
// a connection, five times a 2025-11-25 one. The memory now grows with use.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, type McpClient } from '../client/index.ts';
import { createServer, serveEras } from '../server/index.ts';
import { createMemoryPair } from '../transport/index.ts';

const CONNECTIONS = 40;

const memory = suite('per-connection memory of an in-process server');

memory('a 2026-07-28 connection allocates no replay memory before it uses any (array buffers under 4 KB each)', async () => {
  const server = createServer({ name: 's', version: '1' });
  server.tool({ name: 'echo', inputSchema: { type: 'object', properties: { t: { type: 'string' } } } }, ({ t }) => String(t));
  const clients: McpClient[] = [];
  const open = async () => {
    const [a, b] = createMemoryPair();
    void serveEras(server, b);
    const client = createClient({ name: 'c', version: '1' }, { era: 'modern' });
    await client.connect(a);
    await client.callTool('echo', { t: 'x' });
    clients.push(client);
  };
  try {
    await open(); // the modern modules load and warm up once
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < CONNECTIONS; i++) await open();
    const perConnection = (process.memoryUsage().arrayBuffers - before) / CONNECTIONS;
    assert.ok(perConnection < 4096, `${Math.round(perConnection)} B of array buffers a connection`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
});

memory.run();
