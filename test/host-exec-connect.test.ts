// `mcpwire host --exec` when the server cannot be used: a dead port, a wrong URL path, a
// stdio command that does not exist, an HTTP server that does not speak MCP. Every command,
// `list` included, exits 3 with a line that says which of these it is.
import { createServer, type Server as HttpServer } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort, killAll, spawnHost, startServer, tempDir, type Server } from './host-harness.ts';

const connect = suite('host --exec: a server that cannot be used is an error, never an empty success');

let dir: { path: string; remove(): Promise<void> };
let server: Server;
let html: HttpServer;
let htmlPort: number;

connect.before(async () => {
  dir = await tempDir('mcpwire-host-connect-');
  server = await startServer({ agents: false });
  html = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>a web page</html>'); });
  await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
  htmlPort = (html.address() as { port: number }).port;
  await writeFile(join(dir.path, 'ghost.json'), JSON.stringify({ mcpServers: { ghost: { command: 'mcpwire-no-such-command', args: [] } } }));
});
connect.after(async () => {
  await killAll();
  await new Promise((resolve) => html.close(resolve));
  await dir.remove();
});

async function exec(target: string[], command: string) {
  const p = spawnHost([...target, '--state', join(dir.path, 'host'), '--exec', command, '--json']);
  p.end();
  const code = await p.exited(30_000);
  return { code, doc: JSON.parse(p.out() || 'null') as { ok: boolean; error?: { message: string } } | null, err: p.err() };
}

async function expectFailure(target: string[], message: RegExp) {
  for (const command of ['list', 'echo text=hi']) {
    const r = await exec(target, command);
    assert.is(r.code, 3, `${command}: ${r.err}`);
    assert.is(r.doc?.ok, false, command);
    assert.match(r.doc?.error?.message ?? '', message, command);
    assert.match(r.err, message, command);
  }
}

connect('a port nothing listens on: connection refused', async () => {
  await expectFailure(['--url', `http://127.0.0.1:${await freePort()}/mcp`], /cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/);
});

connect('a wrong URL path: HTTP 404 to initialize, not "no longer knows our session"', async () => {
  const wrong = server.url.replace(/\/mcp$/, '/wrong');
  await expectFailure(['--url', wrong], /nothing answers MCP at http:\/\/127\.0\.0\.1:\d+\/wrong \(HTTP 404 to initialize\); check the URL's path/);
  const r = await exec(['--url', wrong], 'list');
  assert.not.match(r.err, /no longer knows our session/);
});

connect('a stdio command that does not exist', async () => {
  await expectFailure(['--config', join(dir.path, 'ghost.json')], /ghost: cannot start server process "mcpwire-no-such-command".*command not found/);
});

connect('an HTTP server that does not speak MCP', async () => {
  await expectFailure(['--url', `http://127.0.0.1:${htmlPort}/mcp`], /http:\/\/127\.0\.0\.1:\d+\/mcp is not an MCP server: .*text\/html/);
});

connect('an unknown tool gets the nearest name; a wrong value names its argument', async () => {
  const typo = await exec(['--url', server.url], 'ehco text=hi');
  assert.is(typo.code, 2);
  assert.match(typo.doc?.error?.message ?? '', /no server offers a tool "ehco"; did you mean "echo"\?/);
  const bad = await exec(['--url', server.url], 'count steps=many');
  assert.is(bad.code, 2);
  assert.match(bad.doc?.error?.message ?? '', /^steps: "many" is not a (whole )?number/);
});

connect('the same list against a working server succeeds', async () => {
  const r = await exec(['--url', server.url], 'list');
  assert.is(r.code, 0, r.err);
  assert.ok((r.doc as { tools?: unknown[] }).tools!.length > 0);
});

connect('a server lost mid-call: the notice says the call fails unless it is back soon (not that it is kept), and it exits 3', async () => {
  const dying = await startServer({ stepMs: 150 });
  const p = spawnHost(['--tasks', 'off', '--url', dying.url, '--state', join(dir.path, 'host-lost'), '--exec', 'travel_agent destination=Barcelona', '--yes', '--reconnect-attempts', '2']);
  p.end();
  await p.waitFor(/\(3\/10\)/, { stream: 'stderr' });
  await dying.kill9();
  await p.waitFor(/lost contact with 127\.0\.0\.1:\d+/, { stream: 'stderr' });
  const code = await p.exited(60_000);
  assert.not.match(p.err(), /kept and resumes? when/, '--exec keeps no call for a later resume');
  assert.match(p.err(), /lost contact with 127\.0\.0\.1:\d+ \(connection refused\); the call resumes if it is back soon \(--reconnect-attempts\), else it fails/);
  assert.is(code, 3, p.err());
});

connect.run();
