// `mcpwire serve --http --fixtures` as a real process on 127.0.0.1:0, driven by the official
// SDK client (an independent implementation) and by our own client: the fixture set is
// served, and test_reconnection's closed connection is resumed by both clients.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client as SdkClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createClient, createHttpClientTransport } from 'mcpwire/client';
import { FIXTURE_PROMPTS, FIXTURE_RESOURCES, FIXTURE_SKILL_RESOURCES, FIXTURE_TASK_TOOLS, FIXTURE_TOOLS } from '../conformance/fixtures/index.ts';
import { tapClient } from './harness.ts';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

async function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--http', '--fixtures', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${log}`)), 15_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${log}`)); });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      log += d;
      const m = /listening on (\S+)/.exec(log);
      if (m) { clearTimeout(timer); child.removeAllListeners('exit'); resolve(m[1]!); }
    });
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const cli = suite('fixtures: mcpwire serve --http --fixtures');

cli('the SDK client sees every fixture and gets test_reconnection\'s result after resuming', async () => {
  const server = await start();
  const client = new SdkClient({ name: 'sdk', version: '1.0.0' });
  try {
    // The SDK waits the server's retry hint (1 s) before it resumes.
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    assert.is(client.getServerVersion()?.name, 'mcpwire-fixtures');
    assert.equal((await client.listTools()).tools.map((t) => t.name), [...FIXTURE_TOOLS, ...FIXTURE_TASK_TOOLS]);
    assert.equal((await client.listResources()).resources.map((r) => r.uri), [...FIXTURE_RESOURCES, ...FIXTURE_SKILL_RESOURCES]);
    assert.equal((await client.listPrompts()).prompts.map((p) => p.name), [...FIXTURE_PROMPTS]);
    const read = await client.readResource({ uri: 'test://template/42/data' });
    assert.match(JSON.stringify(read.contents), /42/);
    const done = await client.callTool({ name: 'test_reconnection', arguments: {} });
    assert.match(JSON.stringify(done.content), /client resumed/);
  } finally {
    await client.close();
    await stop(server.child);
  }
});

cli('our client resumes test_reconnection too, every message schema-checked', async () => {
  const server = await start();
  const transport = tapClient(createHttpClientTransport({ url: server.url, openStandaloneStream: false }));
  const client = createClient({ name: 'ours', version: '1.0.0' });
  try {
    await client.connect(transport);
    const done = await client.callTool('test_reconnection', {});
    assert.match(JSON.stringify(done.content), /client resumed/);
    transport.assertClean();
  } finally {
    await client.close();
    await stop(server.child);
  }
});

cli.run();
