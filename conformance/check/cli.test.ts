// `mcpwire check` as a command (the built CLI): help lists every option, a MUST failure exits
// 1, bad usage 2, a check that could not run 3 (nothing reached, or a report file not
// writable), and --client runs a client. Our own servers checked whole: cli-own-servers.test.ts
// (a file of its own, so the two halves run beside each other). Needs `npm run build`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundledScript } from '../../test/support/bundled-script.ts';
import { mcpwireBin as bin, runCheck as run } from '../../test/support/check-cli.ts';

const cli = suite('mcpwire check (CLI)');

cli('--help documents every option the parser takes', async () => {
  const { code, stdout } = await run(['--help']);
  assert.is(code, 0);
  for (const flag of ['--json', '--junit', '--only', '--skip', '--timeout', '--spec-version', '--allow-destructive', '--token', '--verbose', '--client', '--html']) {
    assert.ok(stdout.includes(flag), `help mentions ${flag}`);
  }
});

cli('bad usage exits 2 with a precise message', async () => {
  const none = await run([]);
  assert.is(none.code, 2);
  assert.match(none.stderr, /give one server URL/);
  const badTimeout = await run(['--timeout', 'soon', 'http://127.0.0.1:9/mcp']);
  assert.is(badTimeout.code, 2);
  assert.match(badTimeout.stderr, /--timeout must be a positive integer/);
  // A misspelt rule filter used to check nothing and report "no MUST failure".
  const badOnly = await run(['--only', 'http.body', 'http://127.0.0.1:9/mcp']);
  assert.is(badOnly.code, 2);
  assert.match(badOnly.stderr, /--only http\.body: no rule has that id or prefix/);
  assert.match(badOnly.stderr, /http\.body-too-large/);
  const badSkip = await run(['--skip', 'htp.', 'http://127.0.0.1:9/mcp']);
  assert.is(badSkip.code, 2);
  assert.match(badSkip.stderr, /--skip htp\.: no rule has that id or prefix \(families: /);
});

cli('--help lists every exit code', async () => {
  const { stdout } = await run(['--help']);
  for (const code of ['0  no MUST rule failed', '1  a MUST rule failed', '2  bad usage', '3  the check could not run']) assert.ok(stdout.includes(code), code);
});

cli('an address nothing listens on exits 3 (could not run), not 1, and lists the rules left unrun', async () => {
  // A port just freed: the connection is refused, run.reachable (MUST) fails and no era is checked.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const { code, stdout } = await run([`http://127.0.0.1:${port}/mcp`]);
  assert.is(code, 3, stdout);
  assert.match(stdout, /^FAIL MUST   run\.reachable \[any\]/m);
  assert.match(stdout, /^NOT RUN \d+ rule\(s\): no era could be checked, the server could not be reached or initialized \(the reachability failure\)$/m);
  assert.match(stdout, /ECONNREFUSED/);
  assert.match(stdout, / http\.origin /);
  assert.match(stdout, /result: 1 MUST failure\(s\); the check could not run: no era was checked\n$/);
});

// A server whose stdout carries a log line (faults/stdio-server.ts log-on-stdout), one era and one rule to keep it short.
const logOnStdout = ['--spec-version', '2025-11-25', '--only', 'stdio.stdout-messages', '--', process.execPath, ...await bundledScript(fileURLToPath(new URL('../faults/stdio-server.ts', import.meta.url))), 'log-on-stdout'];

cli('a MUST failure in a checked era exits 1, the text report ending with the count', async () => {
  const { code, stdout } = await run(logOnStdout);
  assert.is(code, 1, stdout);
  assert.match(stdout, /^FAIL MUST   stdio\.stdout-messages \[legacy\]/m);
  assert.match(stdout, /result: \d+ MUST failure\(s\)\n$/);
});

cli('a --junit file that cannot be written exits 3 (could not run), naming the file, after the report', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-check-'));
  try {
    const junit = join(dir, 'no-such-dir', 'report.xml');
    const { code, stdout, stderr } = await run(['--junit', junit, ...logOnStdout]);
    assert.is(code, 3, stderr);
    assert.match(stdout, /stdio\.stdout-messages/);
    assert.match(stderr, /^mcpwire check: could not run: .*no-such-dir/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

cli('--client against mcpwire conformance-client: exit 0 with the report', async () => {
  const { code, stdout } = await run(['--client', '--json', '--', process.execPath, bin, 'conformance-client', '{url}'], { MCP_CONFORMANCE_SCENARIO: 'list-only' });
  const report = JSON.parse(stdout) as { target: string; findings: { id: string; outcome: string; severity: string }[] };
  assert.match(report.target, /^client: /);
  assert.ok(report.findings.some((f) => f.id === 'client.schema' && f.outcome === 'pass'));
  assert.is(code, 0, stdout);
});

cli('--client without {url} in the command is a usage error', async () => {
  const { code, stderr } = await run(['--client', '--', 'true']);
  assert.is(code, 2);
  assert.match(stderr, /\{url\}/);
});

cli.run();
