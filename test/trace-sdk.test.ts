// `mcpwire trace` between the official SDK's own client and server (issue #21): what two
// other programs say to each other, over stdio, paired and explained.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as SdkStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { TraceRecord } from 'mcpwire/conformance';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const sdkServer = fileURLToPath(new URL('./sdk-stdio-server.mjs', import.meta.url));

const sdk = suite('mcpwire trace over stdio: the official SDK client and server');

sdk('progress and an elicitation: each message once, the elicitation tied to the call that made it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-trace-sdk-'));
  try {
    const jsonl = join(dir, 'trace.jsonl');
    const client = new SdkClient({ name: 'sdk-client', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    await client.connect(new SdkStdio({ command: process.execPath, args: [bin, 'trace', '--quiet', '--jsonl', jsonl, '--', process.execPath, sdkServer] }));
    const counted = await client.callTool({ name: 'count', arguments: { steps: 3 } }, undefined, { onprogress: () => {} });
    const asked = await client.callTool({ name: 'ask', arguments: {} });
    await client.close();
    assert.equal(counted.content, [{ type: 'text', text: 'counted to 3' }]);
    assert.equal(asked.content, [{ type: 'text', text: 'hello Ada' }]);
    const records = (await readFile(jsonl, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceRecord);
    const calls = records.filter((r) => r.method === 'tools/call');
    assert.is(calls.length, 2);
    const progress = records.filter((r) => r.method === 'notifications/progress');
    assert.equal(progress.map((p) => (p.message as { params: { progress: number } }).params.progress), [1, 2, 3]);
    assert.ok(progress.every((p) => p.call === calls[0]!.id), 'progress tied to the first call');
    const question = records.find((r) => r.method === 'elicitation/create')!;
    assert.is(question.direction, 'server-to-client');
    assert.is(question.call, calls[1]!.id, 'the elicitation belongs to the second call');
    const answer = records.find((r) => r.direction === 'client-to-server' && r.kind === 'response')!;
    assert.is(answer.answers, 'elicitation/create');
    assert.is(answer.id, question.id);
    const results = records.filter((r) => r.kind === 'response' && r.answers === 'tools/call').map((r) => r.id);
    assert.equal(results, calls.map((c) => c.id), 'each call answered once, in order');
    assert.ok(records.every((r) => r.findings.length === 0), `no findings: ${JSON.stringify(records.flatMap((r) => r.findings))}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

sdk.run();
