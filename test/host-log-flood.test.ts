// A server that floods log messages (hostwalk7, session 24: 10,000 a second) had every one
// printed: 38,200 lines in five seconds, prompts and answers scrolled away, the terminal the
// bottleneck. The host now shows at most `--log-lines-per-second` per call (default 20) and
// says how many it did not show, and the most severe level among them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { killAll, spawnHost, tempDir } from './host-harness.ts';

let dir: { path: string; remove(): Promise<void> };

const flood = suite('host: a server flooding log messages does not flood the terminal');

flood.before(async () => { dir = await tempDir('mcpwire-host-log-flood-'); });
flood.after(async () => {
  await killAll();
  await dir.remove();
});

/** A stdio server whose one tool sends `count` log messages (the last a warning) and progress updates at once, then answers. */
const SERVER = (count: number) => `
const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'initialize') return send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {}, logging: {} }, serverInfo: { name: 'flood', version: '1' } } });
  if (m.method === 'tools/list') return send({ jsonrpc: '2.0', id: m.id, result: { tools: [{ name: 'go', inputSchema: { type: 'object' } }] } });
  if (m.method === 'logging/setLevel' || m.method === 'ping') return send({ jsonrpc: '2.0', id: m.id, result: {} });
  if (m.method === 'tools/call') {
    let out = '';
    const token = m.params._meta?.progressToken;
    for (let i = 1; i <= ${count}; i++) {
      out += JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: i === ${count} ? 'warning' : 'info', data: 'line ' + i } }) + '\\n';
      if (token !== undefined) out += JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i, message: 'item ' + i } }) + '\\n';
    }
    process.stdout.write(out);
    send({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'sent ${count}' }] } });
  }
});`;

flood('5,000 log messages at once: 20 shown, the rest counted in one line naming the warning among them', async () => {
  const config = join(dir.path, 'servers.json');
  await writeFile(config, JSON.stringify({ mcpServers: { flood: { command: process.execPath, args: ['-e', SERVER(5_000)] } } }));
  const host = spawnHost(['--config', config, '--state', join(dir.path, 'state'), '--exec', 'go']);
  assert.is(await host.exited(30_000), 0);
  assert.match(host.out(), /sent 5000/);
  const err = host.err();
  // Each second shows 20 and counts the rest in one line. The burst usually arrives within one
  // second; on a loaded machine (load 16 on 2 cores) it spanned two, and 40 were shown.
  const bounded = (shownRe: RegExp, countRe: RegExp) => {
    const shown = err.match(shownRe)?.length ?? 0;
    const counted = [...err.matchAll(countRe)].map((m) => Number(m[1]));
    assert.ok(counted.length >= 1, 'a count line');
    assert.ok(shown >= 20 && shown <= 20 * (counted.length + 1), `${shown} shown over ${counted.length} count lines`);
    assert.is(shown + counted.reduce((a, b) => a + b, 0), 5_000, 'every message shown or counted');
  };
  // Before: 5,000 lines.
  bounded(/#1 go · (?:info|warning): line \d+/g, /#1 go · (\d+) more log messages not shown \(more than 20 a second; the most severe: \w+\)/g);
  // The last message is a warning: counted (its count line names it), or shown in a later second.
  assert.match(err, /#1 go · \d+ more log messages not shown \(more than 20 a second; the most severe: warning\)|#1 go · warning: line 5000/);
  // Progress lines left in the output, each with a new message: bounded the same way.
  bounded(/#1 go [░▓█]+ \(\d+\) item \d+/g, /#1 go · (\d+) more progress lines not shown \(more than 20 a second\)/g);
});

flood('--log-lines-per-second sets the bound', async () => {
  const config = join(dir.path, 'servers2.json');
  await writeFile(config, JSON.stringify({ mcpServers: { flood: { command: process.execPath, args: ['-e', SERVER(300)] } } }));
  const host = spawnHost(['--config', config, '--state', join(dir.path, 'state2'), '--log-lines-per-second', '100', '--exec', 'go']);
  assert.is(await host.exited(30_000), 0);
  assert.is(host.err().match(/#1 go · info: line \d+/g)?.length, 100);
  assert.match(host.err(), /200 more log messages not shown \(more than 100 a second; the most severe: warning\)/);
});

flood.run();
