// In a locale without UTF-8 (LANG=C) the host's terminal wrote its symbols in ASCII
// (hostwalk14), but what it printed past the terminal stayed Unicode, shown as mojibake there:
// `--exec`'s result on stdout (`Booked: London → Tokyo`, `↗ agents://...`), `clean-tokens`'s
// `✓`, and the demo's banner box (`┌─┐`: the corners had no stand-in). Now every line the
// host prints follows the locale (host/glyphs.ts); JSON stays exact.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createFileResumeStore } from 'mcpwire/client';
import { specFromUrl, serverKey, tokensDir } from 'mcpwire/host';
import { killAll, spawnCli, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

let server: Server;
let dir: { path: string; remove(): Promise<void> };
const C = { LANG: 'C', LC_ALL: '', LC_CTYPE: '' };
/** The host's symbols left in `text` (a server's own words, `Taitō`, `€`, stay as they are). */
const symbols = (text: string) => [...new Set(text.match(/[✓✗⚠▶↻↺█░…·→↗↪⊘•┌┐└┘─│“”\uFFFD]|🧠/gu) ?? [])].join(' ');
/** Every character past ASCII in `text`. */
const nonAscii = (text: string) => [...new Set(text.match(/[^\x00-\x7f]/g) ?? [])].join(' ');

const ascii = suite('host: output past the terminal follows the locale');
ascii.before(async () => {
  dir = await tempDir('mcpwire-host-ascii-');
  server = await startServer({ state: join(dir.path, 'server'), stepMs: 10 });
});
ascii.after(async () => {
  await killAll();
  await dir.remove();
});

ascii('--exec under LANG=C: the result on stdout in ASCII, the JSON exact', async () => {
  const p = spawnHost(['--url', server.url, '--state', join(dir.path, 'host'), '--exec', 'travel_agent destination=Tokyo travellers=2', '--yes'], C);
  p.end();
  assert.is(await p.exited(30_000), 0, p.err());
  assert.match(p.out(), /^Booked: London > Tokyo/m);
  assert.match(p.out(), /^\^ agents:\/\/bookings\//m);
  assert.is(symbols(p.out()), '', p.out());
  assert.is(symbols(p.err()), '', p.err());
  const j = spawnHost(['--url', server.url, '--state', join(dir.path, 'host'), '--exec', 'travel_agent destination=Tokyo travellers=2', '--yes', '--json'], C);
  j.end();
  assert.is(await j.exited(30_000), 0, j.err());
  assert.match(JSON.stringify(JSON.parse(j.out())), /London → Tokyo/, 'the JSON is data: the server\'s text as it sent it');
});

ascii('clean-tokens under LANG=C says so in ASCII; in UTF-8 with its check mark', async () => {
  const state = join(dir.path, 'tokens');
  const key = serverKey(specFromUrl(server.url));
  for (const [env, line] of [[C, /^\+ Resumption tokens cleared \(1 server\)$/m], [{ LANG: 'C.UTF-8', LC_ALL: '', LC_CTYPE: '' }, /^✓ Resumption tokens cleared \(1 server\)$/m]] as const) {
    await createFileResumeStore({ dir: tokensDir(state) }).set(key, { sessionId: 's', protocolVersion: '2025-11-25', inflight: [] });
    const p = spawnHost(['--url', server.url, '--state', state, '--clean-tokens'], env);
    p.end();
    assert.is(await p.exited(30_000), 0, p.err());
    assert.match(p.out(), line);
  }
});

ascii('the demo under LANG=C: its banner and every line in ASCII', async () => {
  const demo = spawnCli(['demo', '--state', join(dir.path, 'demo'), '--step-ms', '10'], C);
  demo.child.stdin!.end('quit\n');
  assert.is(await demo.exited(90_000), 0, demo.err());
  assert.match(demo.out(), /^\+-+\+$/m, 'the box drawn in ASCII');
  assert.match(demo.out(), /^\| mcpwire demo: long-running agents as MCP tools \|$/m);
  assert.is(nonAscii(demo.out()), '', demo.out());
  assert.is(nonAscii(demo.err()), '', demo.err());
});

ascii.run();
