// client.tasks given a task id that is not a non-empty string (a JS caller, or `start`'s
// `{ task } | { result }` not narrowed) fails locally with a TypeError naming it, in both eras,
// and sends nothing (it used to go to the server and come back as its -32602).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, createHttpClientTransport, type FetchLike } from 'mcpwire/client';
import { createMcpHttpHandler, createServer } from 'mcpwire/server';
import { createMemoryTaskStore } from 'mcpwire/transport';

const wrong = suite('client.tasks refuses a task id that is not a string');

for (const era of ['legacy', 'modern'] as const) {
  wrong(`${era}: wait, get and cancel with undefined, a number or ''`, async () => {
    const server = createServer({ name: 'tasks', version: '1.0.0' }, { tasks: { store: createMemoryTaskStore() } });
    server.tool({ name: 'slow', description: 'A task.', inputSchema: { type: 'object', properties: {} }, execution: { taskSupport: 'optional' } }, async () => 'done');
    const handler = createMcpHttpHandler(server, { allowedHosts: ['127.0.0.1:3000'], keepAliveMs: 0 });
    const sent: string[] = [];
    const fetch: FetchLike = (url, init) => {
      if (init.body) sent.push(String((JSON.parse(init.body) as { method?: string }).method));
      return handler.handle(new Request(url, { ...init, headers: { host: '127.0.0.1:3000', ...init.headers } }));
    };
    const client = createClient({ name: 'app', version: '1' }, { era });
    try {
      await client.connect(createHttpClientTransport({ url: 'http://127.0.0.1:3000/mcp', fetch, openStandaloneStream: false }));
      const before = sent.length;
      for (const id of [undefined, 7, '']) {
        for (const call of [() => client.tasks.wait(id as never), () => client.tasks.get(id as never), () => client.tasks.cancel(id as never)]) {
          const error = await call().catch((e: unknown) => e);
          assert.instance(error, TypeError, `${JSON.stringify(id)}`);
          assert.match((error as Error).message, /^client\.tasks: tasks[./](wait|get|cancel) needs a taskId \(a non-empty string\), got /);
        }
      }
      assert.equal(sent.slice(before), [], 'nothing was sent');
    } finally {
      await client.close();
      await handler.close();
    }
  });
}

wrong.run();
