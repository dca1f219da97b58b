// `mcpwire check` as a command (the built CLI): help lists every option, our servers over
// stdio and HTTP (demo, fixtures, agents; both eras on HTTP) exit 0 with no MUST failure, a
// MUST failure exits 1, bad usage 2, a check that could not run 3 (nothing reached, or a report
// file not writable), and --json / --junit write what they promise. Needs `npm run build`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServe, stopped } from '../../test/serve-process.ts';
import { bundledScript } from '../../test/support/bundled-script.ts';

const bin = fileURLToPath(new URL('../../bin/mcpwire.js', import.meta.url));
const cli = suite('mcpwire check (CLI)');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'check', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    // No time limit of its own: the check bounds each exchange (--timeout, 10 s by default)
    // and so ends by itself; a fixed 90 s for a whole run was outlasted on a loaded machine.
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

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

cli('the demo over stdio: exit 0, JSON report and JUnit file agree', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-check-'));
  try {
    const junit = join(dir, 'report.xml');
    const { code, stdout } = await run(['--json', '--junit', junit, '--', process.execPath, bin, 'serve', '--stdio']);
    const report = JSON.parse(stdout) as { eras: string[]; summary: { passed: boolean; counts: { MUST: { pass: number } } }; findings: { id: string; outcome: string }[] };
    assert.is(code, 0, stdout);
    assert.ok(report.summary.passed);
    assert.equal([...report.eras].sort(), ['2025-11-25', '2026-07-28']);
    assert.ok(report.findings.some((f) => f.id === 'modern.removed-methods' && f.outcome === 'pass'));
    assert.ok(report.findings.some((f) => f.id === 'stdio.stdout-messages' && f.outcome === 'pass'));
    const xml = await readFile(junit, 'utf8');
    assert.match(xml, new RegExp(`tests="${report.findings.length}"`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

cli('the fixtures over stdio with --allow-destructive: no MUST failure', async () => {
  const { code, stdout } = await run(['--allow-destructive', '--', process.execPath, bin, 'serve', '--stdio', '--fixtures']);
  assert.is(code, 0, stdout);
  assert.match(stdout, /result: no MUST failure/);
});

for (const flavour of ['--agents', '--fixtures']) {
  cli(`serve --http ${flavour}: both eras, no MUST failure`, async () => {
    const served = await startServe([flavour, ...(flavour === '--agents' ? ['--step-ms', '0'] : [])]);
    try {
      const { code, stdout } = await run(['--allow-destructive', '--json', served.url]);
      const report = JSON.parse(stdout) as { eras: string[]; findings: { id: string; severity: string; outcome: string; detail: string }[] };
      const must = report.findings.filter((f) => f.severity === 'MUST' && f.outcome === 'fail').map((f) => `${f.id}: ${f.detail}`);
      assert.equal(must, []);
      assert.is(code, 0);
      assert.equal([...report.eras].sort(), ['2025-11-25', '2026-07-28']);
    } finally {
      await stopped(served.child, 'SIGTERM');
    }
  });
}

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
