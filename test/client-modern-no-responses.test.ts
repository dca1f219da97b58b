// 2026-07-28 basic/transports/stdio: "The server MUST NOT write JSON-RPC requests to stdout"
// and "The client MUST NOT write JSON-RPC responses"; server-to-client questions travel in
// InputRequiredResult (basic/patterns/mrtr). A request from a modern server is dropped
// unanswered and reported; the application's callbacks are not run. A legacy session still
// answers (2025-11-25 basic/utilities/ping, client features).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'mcpwire/client';
import { createMemoryPair } from 'mcpwire/transport';
import type { JsonRpcMessage } from 'mcpwire/protocol';

type Raw = { id?: string | number; method?: string; result?: unknown; error?: unknown };

const ASKS: JsonRpcMessage[] = [
  { jsonrpc: '2.0', id: 'z', method: 'ping' },
  { jsonrpc: '2.0', id: 'y', method: 'roots/list' },
  { jsonrpc: '2.0', id: 'w', method: 'elicitation/create', params: { message: 'm', requestedSchema: { type: 'object', properties: {} } } },
  { jsonrpc: '2.0', id: 'v', method: 5 } as unknown as JsonRpcMessage, // malformed, with an id
  [{ jsonrpc: '2.0', id: 'u', method: 'ping' }] as unknown as JsonRpcMessage, // a batch, which 2025-11-25 and 2026-07-28 do not have
];

/** A scripted server: answers the handshake of `era`, then sends ASKS and a ping marker request-free round trip. */
async function run(era: 'modern' | 'legacy') {
  const [clientEnd, serverEnd] = createMemoryPair();
  const written: Raw[] = [];
  serverEnd.start({
    onMessage: (m) => {
      const msg = m as Raw & { params?: unknown };
      written.push(msg);
      if (msg.method === 'server/discover' && era === 'modern') {
        void serverEnd.send({ jsonrpc: '2.0', id: msg.id!, result: { resultType: 'complete', supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'm', version: '1' } } });
      } else if (msg.method === 'server/discover') {
        void serverEnd.send({ jsonrpc: '2.0', id: msg.id!, error: { code: -32601, message: 'Method not found' } });
      } else if (msg.method === 'initialize') {
        void serverEnd.send({ jsonrpc: '2.0', id: msg.id!, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'l', version: '1' } } });
      } else if (msg.method === 'tools/list') {
        void serverEnd.send({ jsonrpc: '2.0', id: msg.id!, result: { tools: [], ...(era === 'modern' ? { resultType: 'complete' } : {}) } });
      }
    },
    onClose: () => {},
    onError: () => {},
  });
  const reported: string[] = [];
  let elicited = 0;
  const client = createClient({ name: 'c', version: '1' }, {
    era: 'auto', roots: [{ uri: 'file:///x' }],
    onElicit: async () => { elicited++; return { action: 'cancel' }; },
    onError: (e) => reported.push(e.message),
  });
  await client.connect(clientEnd);
  for (const ask of ASKS) await serverEnd.send(ask);
  await client.listTools(); // a round trip: the asks were read before its answer
  await client.close();
  const answers = written.filter((m) => m.method === undefined).map((m) => m.id ?? 'no id');
  return { answers, reported, elicited, version: client.protocolVersion };
}

const drop = suite('a 2026-07-28 client writes no responses');

drop('a modern server\'s requests are dropped unanswered and reported; the callbacks do not run', async () => {
  const { answers, reported, elicited, version } = await run('modern');
  assert.is(version, '2026-07-28');
  assert.equal(answers, [], 'no response was written');
  assert.is(elicited, 0, 'onElicit was not called');
  assert.ok(reported.some((m) => /request "v"/.test(m)), 'the malformed request is reported');
  assert.ok(reported.some((m) => /batch/.test(m)), 'the batch is reported');
  for (const method of ['ping', 'roots/list', 'elicitation/create']) {
    assert.ok(reported.some((m) => m.includes(method) && /2026-07-28/.test(m)), `${method} reported: ${reported.join(' | ')}`);
  }
});

drop('a legacy server\'s requests are answered as before', async () => {
  const { answers, elicited, version } = await run('legacy');
  assert.is(version, '2025-11-25');
  assert.equal(answers.sort(), ['no id', 'v', 'w', 'y', 'z'], 'the batch is refused with an error that names no request');
  assert.is(elicited, 1);
});

drop.run();
