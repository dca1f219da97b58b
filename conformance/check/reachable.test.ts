// run.reachable is one finding per era: a server whose initialize gets no result is reported
// once (with what was seen), in the text report and the JSON report alike, not once by the
// transport checks and again by the driven session. A stdio command that does not start is
// that one failure, not also a server "still running after its stdin closed". A server slower
// than --timeout is told so, with the bound. A target never reached lists the rules left unrun;
// a step that stops names the request in flight. A client (--client) that never reaches the
// scripted server is the same: the check could not run, and its rules are listed unrun.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createServer as createMcpServer, createMcpHttpHandler, type McpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { runCheck } from './runner.ts';
import { runClientCheck } from './client-check.ts';
import { couldNotRun, formatJson, formatText, type CheckReport } from './report.ts';
import { MODERN_ONLY_RULE_IDS } from './catalog.ts';
import { spawn } from 'node:child_process';

const reachable = suite('check: run.reachable once per era');

/** An HTTP server answering every request with `status`, `type` and `body` (its `"$ID"` replaced by the request's id). */
async function answering(status: number, type: string, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => { text += c; });
    req.on('end', () => {
      const id = (() => { try { return JSON.stringify((JSON.parse(text) as { id?: unknown }).id ?? null); } catch { return 'null'; } })();
      res.writeHead(status, { 'content-type': type }).end(body.replace('"$ID"', id));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

const cases: Array<[string, number, string, string]> = [
  ['plain text', 200, 'text/plain', 'hello'],
  ['HTTP 500', 500, 'text/plain', 'oops'],
  ['a response to another id', 200, 'application/json', '{"jsonrpc":"2.0","id":1,"result":{}}'],
];

for (const [name, status, type, body] of cases) {
  reachable(`${name}: one run.reachable failure, in the legacy era, with the exchange`, async () => {
    const { url, server } = await answering(status, type, body);
    try {
      const report = await runCheck({ target: { kind: 'http', url, headers: {} }, timeoutMs: 5_000 });
      const found = report.findings.filter((f) => f.id === 'run.reachable');
      assert.is(found.length, 1, JSON.stringify(found, null, 2));
      assert.is(found[0]!.era, 'legacy');
      assert.is(found[0]!.outcome, 'fail');
      assert.match(found[0]!.exchange ?? '', new RegExp(`-> ${status} `));
      assert.is(formatText(report).match(/run\.reachable/g)?.length, 1, formatText(report));
      const json = JSON.parse(formatJson(report)) as { findings: Array<{ id: string }> };
      assert.is(json.findings.filter((f) => f.id === 'run.reachable').length, 1);
    } finally {
      server.close();
    }
  });
}

reachable('a port nothing listens on: run.reachable names the refusal, not only "fetch failed"', async () => {
  // A port just freed: nothing listens there, so the connection is refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {} }, timeoutMs: 5_000 });
  const reach = report.findings.filter((f) => f.id === 'run.reachable' && f.outcome === 'fail');
  assert.is(reach.length, 1, JSON.stringify(reach));
  assert.match(reach[0]!.detail, /ECONNREFUSED 127\.0\.0\.1:\d+ \(nothing accepts connections there: start the server, or check the URL's host and port\)$/);
});

const unopened: Array<[string, number, string, string, RegExp]> = [
  ['a web page', 200, 'text/html; charset=utf-8', '<!doctype html><title>Welcome</title>', /^legacy transport checks stopped: initialize got no result \(HTTP 200, text\/html\): the URL serves a web page, not MCP: give the MCP endpoint's URL \(its path is often \/mcp\)$/],
  ['HTTP 404', 404, 'text/plain', 'Not Found', /^legacy transport checks stopped: initialize got no result \(HTTP 404, text\/plain\): nothing answers MCP at this path: check the URL's path/],
  ['an error', 200, 'application/json', '{"jsonrpc":"2.0","id":"$ID","error":{"code":-32603,"message":"no database"}}', /initialize got no result \(HTTP 200, application\/json\): it was answered with error -32603 "no database"$/],
];
for (const [name, status, type, body, said] of unopened) {
  reachable(`${name} to initialize: run.reachable says what it means and what to do`, async () => {
    const { url, server } = await answering(status, type, body);
    try {
      const report = await runCheck({ target: { kind: 'http', url, headers: {} }, timeoutMs: 5_000, only: ['run.', 'modern.discover'] });
      const reach = report.findings.filter((f) => f.id === 'run.reachable' && f.outcome === 'fail');
      assert.is(reach.length, 1, JSON.stringify(reach));
      assert.match(reach[0]!.detail, said, reach[0]!.detail);
      // The 2026-07-28 era is listed under NOT RUN with what server/discover got, not hidden among skips.
      assert.equal(report.findings.filter((f) => f.id === 'modern.discover').map((f) => f.detail), [`not run: the server does not speak 2026-07-28 (server/discover got HTTP ${status}, ${type.split(';')[0]})`]);
    } finally {
      server.close();
    }
  });
}

reachable('a 2026-07-28-only server: the legacy era is not run (it refused the version), nothing fails, and the check ran', async () => {
  const server = createMcpServer({ name: 'modern-only', version: '1.0.0' });
  server.tool({ name: 'echo', description: 'Echoes.', annotations: { readOnlyHint: true } }, () => 'echo');
  let handler: McpHttpHandler | undefined;
  const http = await listen((request) => handler!.handle(request), { port: 0 });
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${http.port}`], eras: 'modern' });
  try {
    const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${http.port}/mcp`, headers: {} }, timeoutMs: 5_000 });
    assert.equal(report.eras, ['2026-07-28']);
    assert.equal(report.findings.filter((f) => f.outcome === 'fail' && f.severity === 'MUST').map((f) => `${f.id}: ${f.detail}`), []);
    assert.not.ok(couldNotRun(report));
    const legacy = report.findings.filter((f) => f.id === 'http.session-unknown');
    assert.equal(legacy.map((f) => `${f.outcome} ${f.era}: ${f.detail}`), ['skip legacy: not run: the server speaks no legacy version (initialize in 2025-11-25 was refused with error -32022: the server speaks 2026-07-28 only)']);
    assert.match(formatText(report), /^NOT RUN \d+ rule\(s\): the server speaks no legacy version /m);
    // Asked for the legacy era only: nothing could run, and the report says which version to ask for.
    const legacyOnly = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${http.port}/mcp`, headers: {} }, timeoutMs: 5_000, specVersion: '2025-11-25', only: ['run.'] });
    assert.equal(legacyOnly.findings.map((f) => `${f.outcome}: ${f.detail}`), ['fail: legacy transport checks stopped: initialize in 2025-11-25 was refused with error -32022: the server speaks 2026-07-28 only: check it with --spec-version 2026-07-28, or without --spec-version']);
    assert.ok(couldNotRun(legacyOnly));
  } finally {
    await handler!.close();
    await http.close();
  }
});

reachable('a port nothing listens on: every rule of the HTTP transport left unrun is listed as skipped, saying why; the check could not run', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: {} }, timeoutMs: 5_000, skip: ['tools.'] });
  const notRun = report.findings.filter((f) => f.outcome === 'skip');
  const ids: string[] = notRun.map((f) => f.id);
  for (const id of ['schema.message', 'http.origin', 'modern.discover', 'auth.prm']) assert.ok(ids.includes(id), `${id} listed`);
  // Not this target's rules, and not the ones --skip took out.
  assert.ok(!ids.some((id) => id.startsWith('stdio.') || id.startsWith('client.') || id.startsWith('tools.')), ids.join(' '));
  assert.ok(notRun.every((f) => /^not run: no era could be checked, the server could not be reached or initialized \(the reachability failure\)$/.test(f.detail)), notRun[0]?.detail);
  assert.ok(couldNotRun(report));
  const text = formatText(report);
  assert.match(text, new RegExp(`^NOT RUN ${notRun.length} rule\\(s\\): no era could be checked`, 'm'));
  assert.match(text, /result: 1 MUST failure\(s\); the check could not run: no era was checked\n$/);
  // --verbose lists each skip on its own line instead.
  assert.not.match(formatText(report, { verbose: true }), /^NOT RUN/m);
});

reachable('a server that drops the connection after initialize: each stopped step names the request in flight; a failing server, not one never reached', async () => {
  // Legacy initialize and its notification are answered; every other POST has its socket destroyed.
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => { body += c; });
    req.on('end', () => {
      const m = (body === '' ? {} : JSON.parse(body)) as { id?: unknown; method?: string };
      if (m.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'abc' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'drops', version: '1' } } }));
      } else if (m.method === 'notifications/initialized') res.writeHead(202).end();
      else req.socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, headers: {} }, timeoutMs: 2_000 });
    const stops = report.findings.filter((f) => f.id === 'run.reachable' && f.outcome === 'fail').map((f) => f.detail);
    assert.ok(stops.some((d) => /^modern checks stopped: during POST server\/discover \(id "check-\d+"\): fetch failed: other side closed \(the server closed the connection without answering: its own log should say why\)$/.test(d)), stops.join('\n'));
    assert.ok(stops.some((d) => /^legacy transport checks stopped: during POST [\w/]+ \(id [^)]+\): fetch failed: other side closed \(the server closed the connection without answering: its own log should say why\)$/.test(d)), stops.join('\n'));
    assert.ok(stops.some((d) => /^legacy session checks stopped: during tools\/list \(id \d+\): /.test(d)), stops.join('\n'));
    assert.not.ok(couldNotRun(report));
    assert.not.ok(report.findings.some((f) => f.detail.startsWith('not run: ')));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

reachable('a server slower than --timeout: run.reachable names the bound it waited, and the run ends within a few bounds', async () => {
  // Every answer 3 s late (a server that answers after 20 s, scaled down): not one exchange completes.
  const server = createServer((req, res) => {
    req.resume();
    const late = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{}}'), 3_000);
    res.on('close', () => clearTimeout(late));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const started = Date.now();
    const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, headers: {} }, timeoutMs: 300 });
    assert.ok(Date.now() - started < 2_500, `took ${Date.now() - started} ms`);
    const reach = report.findings.filter((f) => f.id === 'run.reachable' && f.outcome === 'fail');
    assert.is(reach.length, 1, JSON.stringify(reach));
    assert.match(reach[0]!.detail, /: no response within the exchange bound \(--timeout 300 ms\): raise --timeout if the server is slow, else see why it hangs$/);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

/** Each rule only the 2026-07-28 era runs, with the one finding `report` gave it ('none' if it gave none). */
function modernOnlyFindings(report: CheckReport): string[] {
  return MODERN_ONLY_RULE_IDS.map((id) => {
    const found = report.findings.filter((f) => f.id === id);
    return `${id}: ${found.length === 0 ? 'none' : found.map((f) => `${f.outcome} ${f.detail}`).join(' | ')}`;
  });
}

reachable('a 2025-only HTTP server (SDK 1.x): every rule of the 2026-07-28 era and its extensions is listed NOT RUN, none left out', async () => {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../test/sdk-http-server.mjs', import.meta.url)), '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /listening on (\S+)/.exec(text);
        if (found) resolve(found[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the SDK server exited (${code}) before listening: ${text}`)));
    });
    const report = await runCheck({ target: { kind: 'http', url, headers: {} }, timeoutMs: 5_000, only: ['run.', 'modern.', 'tasks.', 'skills.'] });
    assert.equal(report.eras, ['2025-11-25']);
    const why = /^skip not run: the server does not speak 2026-07-28 \(server\/discover got HTTP \d+[^)]*\)$/;
    // Before: a fixed list of 23 ids, and the era's 13 newer rules had no finding at all.
    assert.equal(modernOnlyFindings(report).filter((line) => !why.test(line.slice(line.indexOf(': ') + 2))), []);
  } finally {
    child.kill();
  }
});

reachable('a 2025-only stdio server (SDK 1.x): its 2026-07-28 rules are listed NOT RUN with the reason, not skipped unsaid', async () => {
  const report = await runCheck({ target: { kind: 'stdio', command: process.execPath, args: [fileURLToPath(new URL('../../test/sdk-stdio-server.mjs', import.meta.url))] }, timeoutMs: 5_000, only: ['run.', 'modern.', 'tasks.', 'skills.'] });
  assert.equal(report.eras, ['2025-11-25']);
  // The tasks and skills extensions too (they were left out unsaid over stdio).
  assert.equal(modernOnlyFindings(report).filter((line) => !line.endsWith(': skip not run: the server does not speak 2026-07-28 (server/discover over stdio got no result listing it)')), []);
  const modern = report.findings.filter((f) => f.id.startsWith('modern.'));
  assert.ok(modern.length > 20, String(modern.length));
  assert.ok(modern.every((f) => f.outcome === 'skip' && f.detail === 'not run: the server does not speak 2026-07-28 (server/discover over stdio got no result listing it)'), JSON.stringify(modern.find((f) => f.outcome !== 'skip' || !f.detail.startsWith('not run: the server does not speak'))));
  assert.match(formatText(report), /^NOT RUN \d+ rule\(s\): the server does not speak 2026-07-28 \(server\/discover over stdio got no result listing it\)$/m);
});

reachable('a stdio command that does not start: run.reachable fails once; framing and exit are skipped, neither failed nor passed', async () => {
  const report = await runCheck({ target: { kind: 'stdio', command: 'mcpwire-check-no-such-command', args: [] }, timeoutMs: 5_000 });
  const reach = report.findings.filter((f) => f.id === 'run.reachable');
  assert.is(reach.length, 1, JSON.stringify(reach));
  assert.match(reach[0]!.detail, /cannot start server process/);
  const stdio = report.findings.filter((f) => f.id.startsWith('stdio.'));
  assert.ok(stdio.length > 0);
  assert.equal(stdio.filter((f) => f.outcome !== 'skip').map((f) => `${f.id} ${f.outcome}: ${f.detail}`), []);
  assert.ok(stdio.every((f) => /did not start/.test(f.detail)));
});

// A client that exits at once without a request: no client rule is judged on nothing.
const neverConnects = [process.execPath, '-e', 'console.log("no server for me"); process.exit(1)'];

reachable('--client, a client that never sends a request: run.reachable fails saying so, every client rule is listed unrun, none passes; the check could not run', async () => {
  const report = await runClientCheck({ command: [...neverConnects, '{url}'], timeoutMs: 10_000 });
  const reach = report.findings.filter((f) => f.id === 'run.reachable');
  assert.equal(reach.map((f) => f.outcome), ['fail']);
  assert.match(reach[0]!.detail, /^the client sent no request to the scripted server at http:\/\/127\.0\.0\.1:\d+\/mcp; the command exited with code 1$/);
  assert.match(String(reach[0]!.exchange), /no server for me/);
  assert.equal(report.findings.filter((f) => f.outcome === 'pass').map((f) => f.id), []);
  const notRun = report.findings.filter((f) => f.outcome === 'skip');
  for (const id of ['client.schema', 'client.initialize-first', 'client.accept', 'client.modern-headers', 'client.request-state']) assert.ok(notRun.some((f) => f.id === id), `${id} listed`);
  assert.ok(notRun.every((f) => f.detail === 'not run: the client never connected to the scripted server (the reachability failure)'), notRun[0]?.detail);
  assert.equal(report.eras, []);
  // The command's exit is in no era (it said legacy, the recorder's default, for a client that spoke none).
  assert.equal(report.findings.filter((f) => f.id === 'client.exit').map((f) => [f.outcome, f.era]), [['fail', 'any']]);
  assert.ok(couldNotRun(report));
  const text = formatText(report);
  assert.match(text, new RegExp(`^NOT RUN ${notRun.length} rule\\(s\\): the client never connected`, 'm'));
  assert.match(text, /result: 1 MUST failure\(s\); the check could not run: no era was checked\n$/);
});

reachable('--client, a stdio client that never starts {server}: run.reachable fails, its stdio rules are listed unrun, the HTTP ones skipped as such', async () => {
  const report = await runClientCheck({ command: [...neverConnects, '{server}'], timeoutMs: 10_000 });
  assert.match(report.findings.find((f) => f.id === 'run.reachable' && f.outcome === 'fail')?.detail ?? '', /^the client never started the scripted server's command \(\{server\}\); the command exited with code 1$/);
  const notRun = report.findings.filter((f) => f.outcome === 'skip' && f.detail.startsWith('not run: ')).map((f) => f.id);
  assert.equal(notRun.sort(), ['client.answers', 'client.cancel-initialize', 'client.capability-gating', 'client.initialize-first', 'client.modern-response', 'client.network-ref', 'client.request-state', 'client.roots-file-uri', 'client.schema']);
  assert.ok(report.findings.some((f) => f.id === 'client.accept' && f.outcome === 'skip' && f.detail === 'an HTTP rule: the client ran over stdio'));
  assert.equal(report.findings.filter((f) => f.outcome === 'pass').map((f) => f.id), []);
  assert.ok(couldNotRun(report));
});

reachable.run();
