// The second peer walk with the official SDK 2.4 client (devDependency) against our server over
// HTTP, in both eras (session 23, peerwalk2): three inputs in one InputRequiredResult (2026-07-28)
// or three server requests (2025-11-25), two rounds in a row (requestState), an argument mirrored
// into Mcp-Param headers (unicode: base64 form), a cancel while the client answers a form, and
// the same call after it. Loopback, port 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { walk2Server } from './support/peer-walk2.ts';
import { textOf } from './support/sdk2-interop.ts';

const walk = suite('SDK 2.4 client -> our server: rounds, Mcp-Param headers, a cancel mid-form');

for (const mode of ['auto', 'legacy'] as const) {
  walk(`versionNegotiation ${mode}`, async () => {
    const holder: { handler?: ReturnType<typeof createMcpHttpHandler> } = {};
    const listening = await listen({ exchange: (r) => holder.handler!.exchange(r) }, { port: 0, host: '127.0.0.1' });
    holder.handler = createMcpHttpHandler(walk2Server(), { keepAliveMs: 0, allowedHosts: [`127.0.0.1:${listening.port}`] });
    const paramHeaders: string[] = [];
    const client = new Client({ name: 'sdk-client', version: '2.4.0' }, {
      capabilities: { sampling: {}, roots: {}, elicitation: { form: {} } }, versionNegotiation: { mode },
    });
    let formOpen: (() => void) | undefined;
    client.setRequestHandler('elicitation/create', async (request) => {
      if (formOpen) { // the cancel step: the form stays open until the call is cancelled
        formOpen();
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
      const message = (request.params as { message: string }).message;
      return { action: 'accept' as const, content: { name: message.replace('?', '') } };
    });
    client.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant' as const, content: { type: 'text' as const, text: 'm' }, model: 'm' }));
    client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///a', name: 'a' }, { uri: 'file:///b', name: 'b' }] }));
    const fetchSeeing: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      for (const [name, value] of headers) if (name.startsWith('mcp-param-')) paramHeaders.push(`${name}: ${value}`);
      return fetch(input, init);
    };
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listening.port}/mcp`), { fetch: fetchSeeing }));
      assert.is(textOf(await client.callTool({ name: 'trio', arguments: {} })), 'Name|m|2');
      assert.is(textOf(await client.callTool({ name: 'twice', arguments: {} })), 'First+Second');
      await client.listTools(); // the SDK mirrors headers for tools it has listed
      assert.is(textOf(await client.callTool({ name: 'routed', arguments: { region: 'eu-west ü', n: 7 } })), 'eu-west ü/7');
      if (mode === 'auto') assert.equal(paramHeaders.sort(), ['mcp-param-n: 7', 'mcp-param-region: =?base64?ZXUtd2VzdCDDvA==?=']);
      else assert.equal(paramHeaders, [], '2025-11-25 has no Mcp-Param headers');
      const abort = new AbortController();
      const asked = new Promise<void>((resolve) => { formOpen = resolve; });
      const call = client.callTool({ name: 'twice', arguments: {} }, { signal: abort.signal }).then(() => 'answered', () => 'cancelled');
      await asked;
      abort.abort();
      assert.is(await call, 'cancelled');
      formOpen = undefined;
      assert.is(textOf(await client.callTool({ name: 'twice', arguments: {} })), 'First+Second', 'the call after the cancel');
    } finally {
      await client.close();
      await holder.handler!.close();
      await listening.close();
    }
  });
}

walk.run();
