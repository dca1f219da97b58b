// A client that was closed and is connected again is told that it is closed, in both eras.
// It used to be told "session is already connected", which sent users looking for a second
// connect() rather than for the close() before it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, serveEras } from '../server/index.ts';
import { createClient } from '../client/index.ts';
import { createMemoryPair } from '../transport/index.ts';
import { LocalErrorCode, McpError } from '../protocol/index.ts';

const closed = suite('client: connect after close');

for (const era of ['legacy', 'modern'] as const) {
  closed(`${era}: MCP_ERR_STATE saying the client is closed`, async () => {
    const server = createServer({ name: 's', version: '1' });
    const client = createClient({ name: 'c', version: '1' }, { era });
    const [a, b] = createMemoryPair();
    void serveEras(server, b);
    await client.connect(a);
    await client.close();
    const [c, d] = createMemoryPair();
    void serveEras(server, d);
    const error = await client.connect(c).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof McpError && error.code === LocalErrorCode.State, String(error));
    assert.is((error as McpError).message, 'session is closed: a closed client or peer cannot connect again, create a new one');
    await server.close();
  });
}

closed.run();
