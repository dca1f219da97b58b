// `mcpwire check` against the official TypeScript SDK's servers (devDependencies): the 1.32
// example `simpleStreamableHttp` and a 2.4 server written as its documentation shows. Pins
// the findings listed in the README's "What it found in other implementations" table, each
// verified by hand against the spec text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCheck } from './runner.ts';
import type { CheckReport } from './report.ts';
import { startSdk2Server } from '../../test/sdk2-example-server.ts';

const sdk = suite('check against the official SDK servers');

function failures(report: CheckReport): string[] {
  return report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

async function startSdk1Example(name: string): Promise<{ url: string; child: ChildProcess }> {
  const require = createRequire(import.meta.url);
  // The package's exports map points package.json into dist/cjs: cut back to the package folder.
  const resolved = require.resolve('@modelcontextprotocol/sdk/package.json');
  const root = resolved.slice(0, resolved.lastIndexOf(join('@modelcontextprotocol', 'sdk')) + join('@modelcontextprotocol', 'sdk').length);
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'esm', 'examples', 'server', `${name}.js`)], { env: { ...process.env, MCP_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 15_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (/listening on port/i.test(out)) { clearTimeout(timer); resolve(); }
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => { out += d; });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`${name} exited ${code}: ${out}`)); });
  });
  return { url: `http://localhost:${port}/mcp`, child };
}

sdk('SDK 1.32 simpleStreamableHttp: foreign Origin served, non-URI icon src, unknown tool answered as a tool error', async () => {
  const server = await startSdk1Example('simpleStreamableHttp');
  try {
    const report = await runCheck({ target: { kind: 'http', url: server.url, headers: {} }, timeoutMs: 5_000 });
    const failed = failures(report);
    assert.equal(report.eras, ['2025-11-25']);
    assert.ok(failed.some((f) => f.startsWith('http.origin: ping with Origin: http://attacker.invalid: expected 403, got 200')), failed.join('\n'));
    assert.ok(failed.some((f) => f.startsWith('schema.message:') && f.includes('/result/serverInfo/icons/0/src: must match format "uri"')), failed.join('\n'));
    // McpServer throws InvalidParams for an unknown tool, then its own catch turns that into isError.
    assert.ok(failed.some((f) => f === 'tools.unknown-tool: tools/call of mcpwire-check-no-such-tool was answered with a tool error (isError), not a JSON-RPC error'), failed.join('\n'));
    assert.is(failed.length, 3, failed.join('\n'));
  } finally {
    server.child.kill('SIGTERM');
  }
});

sdk('SDK 2.4 createMcpHandler: both eras; a foreign Origin is served on the legacy leg', async () => {
  const server = await startSdk2Server();
  try {
    const report = await runCheck({ target: { kind: 'http', url: server.url, headers: {} }, timeoutMs: 5_000 });
    assert.equal([...report.eras].sort(), ['2025-11-25', '2026-07-28']);
    assert.equal(failures(report), ['http.origin: ping with Origin: http://attacker.invalid: expected 403, got 200']);
  } finally {
    await server.close();
  }
});

sdk.run();
