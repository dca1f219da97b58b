// The task fixtures' effects file (`serve --fixtures --fixture-effects FILE`): a FIFO there
// blocked `confirm_delete` for ever (readFile and appendFile wait for the other end), so the
// call never answered. Now the file is opened without blocking and refused unless it is a
// regular file: the call answers a tool error naming the file and what it is, and `serve`
// refuses such a file at start (it listened, and every task that recorded failed).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'mcpwire/server';
import type { CallToolResult } from 'mcpwire/protocol';
import { registerFixtureTaskTools } from '../conformance/fixtures/task-tools.ts';
import { connectClient } from './memory-client.ts';

const effects = suite('task fixtures: the effects file');

/** `confirm_delete` (the user agrees) with `file` as the effects file; 'hung' after 10 s. */
async function confirmDelete(file: string): Promise<CallToolResult | 'hung'> {
  const server = createServer({ name: 'fixtures', version: '1.0.0' });
  registerFixtureTaskTools(server, { effectsFile: file });
  const c = await connectClient(server, { client: { onElicit: () => ({ action: 'accept', content: { confirm: true } }) } });
  let timer: NodeJS.Timeout | undefined;
  try {
    const bound = new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), 10_000); });
    return await Promise.race([c.client.callTool('confirm_delete', { target: 'a.txt' }), bound]);
  } finally {
    clearTimeout(timer);
    await c.close();
  }
}

const textOf = (r: CallToolResult) => r.content.map((b) => (b.type === 'text' ? b.text : '')).join('');

effects('a FIFO at the path: a tool error at once naming it, nothing blocks', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-effects-'));
  try {
    const fifo = join(dir, 'effects.log');
    execFileSync('mkfifo', [fifo]);
    const result = await confirmDelete(fifo);
    assert.is.not(result, 'hung', 'the call did not answer within 10 s');
    const r = result as CallToolResult;
    assert.is(r.isError, true);
    assert.is(textOf(r), `the fixture effects file ${fifo} is a FIFO, not a regular file: nothing recorded`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

effects('a regular file (made 0600 when missing): the deletion recorded once per key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-effects-'));
  try {
    const file = join(dir, 'effects.log');
    const result = await confirmDelete(file);
    assert.is.not(result, 'hung');
    assert.is(textOf(result as CallToolResult), 'Deleted a.txt.');
    assert.match(readFileSync(file, 'utf8'), /^request-\S+ deleted a\.txt\n$/);
    assert.is(statSync(file).mode & 0o777, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

effects('serve --fixtures --fixture-effects FIFO: a usage error at start naming the flag (the built CLI)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-effects-'));
  try {
    const fifo = join(dir, 'effects.log');
    execFileSync('mkfifo', [fifo]);
    const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
    // Killed after 20 s: before, the server started and listened.
    const run = spawnSync(process.execPath, [bin, 'serve', '--http', '--port', '0', '--fixtures', '--fixture-effects', fifo],
      { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'ignore', 'pipe'] });
    assert.is(run.status, 2, run.stderr);
    assert.match(run.stderr, `mcpwire serve: --fixture-effects: the fixture effects file ${fifo} is a FIFO: remove it, or name another with --fixture-effects`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

effects.run();
