// `mcpwire check` against mcpwire's own demo server over loopback HTTP: every MUST rule passes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler, type McpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { registerDemoTools } from 'mcpwire/examples';
import { runCheck, formatText } from '../index.ts';

const own = suite('check: our own servers');

own('the demo tools over HTTP (both eras) have no MUST failure', async () => {
  const server = createServer({ name: 'demo', version: '1.0.0' }, { onError: () => undefined });
  registerDemoTools(server);
  let handler: McpHttpHandler | undefined;
  const http = await listen((request) => handler!.handle(request), { port: 0 });
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${http.port}`] });
  try {
    const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${http.port}/mcp`, headers: {} }, timeoutMs: 5_000 });
    const text = formatText(report, { verbose: true });
    assert.ok(report.summary.passed, text);
    assert.ok(report.eras.includes('2026-07-28'), 'modern era detected');
    assert.ok(report.eras.includes('2025-11-25'), 'legacy era detected');
  } finally {
    await handler.close();
    await http.close();
  }
});

own.run();
