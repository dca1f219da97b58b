// A server answering `tools/call` with a result that breaks CallToolResult's shape
// (2025-11-25 server/tools) ended the host: `{"content": "not an array"}` was a TypeError in
// the renderer, and the process exited with its stack (hostwalk3, `mcpwire host --config` with
// a broken stdio server). Now the call fails with what is wrong, and the host goes on.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conversation, killAll, spawnHost, tempDir } from './host-harness.ts';

const server = fileURLToPath(new URL('./malformed-result-server.mjs', import.meta.url));
let dir: { path: string; remove(): Promise<void> };

const malformed = suite('host: a malformed tool result fails its call, not the host');
malformed.before(async () => {
  dir = await tempDir('mcpwire-host-malformed-');
  await writeFile(`${dir.path}/config.json`, JSON.stringify({ mcpServers: { broken: { command: process.execPath, args: [server] } } }));
});
malformed.after(async () => {
  await killAll();
  await dir.remove();
});

malformed('each malformed result is named as such, and the next call still runs', async () => {
  const host = spawnHost(['--config', `${dir.path}/config.json`, '--state', `${dir.path}/state`]);
  const c = conversation(host);
  await c.expect(/Type "help"/, 'string_content');
  await c.expect(/✗ #1 string_content failed: broken: the result of tool \S+ is not a tool result: "content" is a string, not an array of content blocks \(2025-11-25 server\/tools\)/, 'number_text');
  await c.expect(/✗ #2 number_text failed: broken: the result of tool \S+ is not a tool result: content block 1 \(text\) has "text" as a number, not a string/, 'null_block');
  await c.expect(/✗ #3 null_block failed: broken: the result of tool \S+ is not a tool result: content block 1 is null, not a content block/, 'string_is_error');
  await c.expect(/✗ #4 string_is_error failed: broken: the result of tool \S+ is not a tool result: "isError" is a string, not a boolean/, 'good');
  await c.expect(/✓ #5 good finished in [^\n]*\n {2}all good/, 'history');
  await c.expect(/#4 string_is_error@broken · failed/, 'quit');
  await c.expect(/Goodbye/);
  assert.is(await host.exited(), 0, host.err());
  assert.not.match(host.err(), /TypeError/);
});

malformed('--exec: exit 1 with the reason, not a stack trace', async () => {
  const host = spawnHost(['--config', `${dir.path}/config.json`, '--state', `${dir.path}/state-exec`, '--exec', 'string_content']);
  assert.is(await host.exited(), 1);
  assert.match(host.err(), /mcpwire host: broken: the result of tool \S+ is not a tool result: "content" is a string/);
  assert.not.match(host.err(), /TypeError/);
});

malformed.run();
