// `mcpwire serve --stdio` as a real child process, driven by the official SDK client
// (independent implementation) and by our own client.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as SdkStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createClient, createStdioClientTransport } from 'mcpwire/client';
import { tapClient } from './harness.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

const sdk = suite('stdio: the official SDK client against mcpwire serve --stdio');

sdk('lists tools, streams every progress notification in order, and carries an elicitation answer to the tool', async () => {
  const client = new SdkClient({ name: 'sdk-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  const questions: string[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    questions.push(String(request.params.message));
    return { action: 'accept', content: { answer: 'forty-two' } };
  });
  const transport = new SdkStdio({ command: process.execPath, args: [bin, 'serve', '--stdio'], stderr: 'pipe' });
  await client.connect(transport);
  // What our server wrote, read off the SDK transport before its client handles it.
  const wire: Array<{ progress: number | undefined } | { response: true }> = [];
  const handOn = transport.onmessage!;
  transport.onmessage = (message) => {
    const m = message as { method?: string; params?: { progress?: number }; id?: unknown; result?: unknown };
    if (m.method === 'notifications/progress') wire.push({ progress: m.params?.progress });
    else if (m.id !== undefined && m.result !== undefined) wire.push({ response: true });
    handOn(message);
  };
  try {
    const { tools } = await client.listTools();
    assert.equal(tools.map((t) => t.name), ['echo', 'count', 'ask_user', 'summarize']);
    wire.length = 0;
    const progress: number[] = [];
    // The server must write all 200 progress notifications, in order, before the response.
    // The SDK client (1.32) runs notification handlers a microtask late but settles a
    // response at once, so it drops progress that shares a read chunk with the response (its
    // own defect); the tool pauses `delayMs` after each step to make that rare, and what the
    // SDK hands on is checked as an in-order prefix of what was on the wire.
    const counted = await client.callTool({ name: 'count', arguments: { steps: 200, delayMs: 3 } }, undefined, {
      onprogress: (p) => { progress.push(p.progress); },
    });
    const steps = Array.from({ length: 200 }, (_, i) => i + 1);
    assert.equal(wire, [...steps.map((progress) => ({ progress })), { response: true }]);
    assert.ok(progress.length > 0, 'the SDK client was handed no progress at all');
    assert.equal(progress, steps.slice(0, progress.length));
    assert.equal(counted.content, [{ type: 'text', text: 'counted to 200' }]);
    const asked = await client.callTool({ name: 'ask_user', arguments: { question: 'The answer?' } });
    assert.equal(questions, ['The answer?']);
    assert.equal(asked.content, [{ type: 'text', text: 'the user answered: forty-two' }]);
  } finally {
    await client.close();
  }
});

sdk('sampling requests reach the SDK client and its answer reaches the tool', async () => {
  const client = new SdkClient({ name: 'sdk-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant', content: { type: 'text', text: 'a summary' }, model: 'sdk-model',
  }));
  await client.connect(new SdkStdio({ command: process.execPath, args: [bin, 'serve', '--stdio'], stderr: 'pipe' }));
  try {
    const result = await client.callTool({ name: 'summarize', arguments: { text: 'long' } });
    assert.equal(result.content, [{ type: 'text', text: 'sdk-model: a summary' }]);
  } finally {
    await client.close();
  }
});

const ours = suite('stdio: our client against mcpwire serve --stdio');

ours('progress, elicitation and sampling over a real child process, schema-checked both ways', async () => {
  const transport = tapClient(createStdioClientTransport({ command: process.execPath, args: [bin, 'serve', '--stdio'], stderr: 'ignore' }));
  const client = createClient({ name: 'ours', version: '1.0.0' }, {
    onElicit: () => ({ action: 'accept', content: { answer: 'yes' } }),
    onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'm' }),
  });
  await client.connect(transport);
  try {
    const seen: number[] = [];
    await client.callTool('count', { steps: 500 }, { onProgress: (p) => seen.push(p.progress) });
    assert.is(seen.length, 500);
    assert.ok(seen.every((v, i) => v === i + 1));
    assert.equal((await client.callTool('ask_user', { question: 'go?' })).content, [{ type: 'text', text: 'the user answered: yes' }]);
    assert.equal((await client.callTool('summarize', { text: 't' })).content, [{ type: 'text', text: 'm: ok' }]);
  } finally {
    await client.close();
  }
  transport.assertClean();
});

sdk.run();
ours.run();
