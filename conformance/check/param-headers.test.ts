// The check's own client mirrors x-mcp-header arguments into Mcp-Param-* headers (2026-07-28
// basic/transports/streamable-http: headers), through the schema tap and the driver's wrapper:
// a correct server that requires the header must not be reported for a call it refused. And the
// server's side (modern.param-headers): a header naming another value, or none while the body has
// the value, must get 400 with -32020; ours does. And a raw non-ASCII byte in the header
// (modern.param-header-chars) must be refused, not read as text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, createMcpHttpHandler, type McpHttpHandler } from 'mcpwire/server';
import { listen } from 'mcpwire/transport';
import { runCheck } from './runner.ts';

const headers = suite('check: tools with x-mcp-header arguments');

headers('a tool whose argument goes in Mcp-Param-Region is called with the header, valid and invalid', async () => {
  const server = createServer({ name: 'param-headers', version: '1.0.0' }, { onError: () => undefined });
  server.tool({
    name: 'where', description: 'Echoes its region.', annotations: { readOnlyHint: true },
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } }, required: ['region'] },
  }, (args: { region: string }) => `region: ${args.region}`);
  // Session 31: a mark on a nested property (a chain of properties keys) is probed too.
  server.tool({
    name: 'route', description: 'Echoes the region of its target.', annotations: { readOnlyHint: true },
    inputSchema: { type: 'object', properties: { target: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } }, required: ['zone'] } }, required: ['target'] },
  }, (args: { target: { zone: string } }) => `zone: ${args.target.zone}`);
  let handler: McpHttpHandler | undefined;
  const http = await listen((request) => handler!.handle(request), { port: 0 });
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${http.port}`] });
  try {
    const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${http.port}/mcp`, headers: {} }, timeoutMs: 5_000, specVersion: '2026-07-28', only: ['tools.valid-call', 'tools.invalid-arguments', 'modern.param-headers', 'modern.param-header-chars', 'modern.param-header-base64'] });
    const fails = report.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.id}: ${f.detail}`);
    assert.equal(fails, []);
    assert.ok(report.findings.some((f) => f.id === 'tools.valid-call' && f.outcome === 'pass' && f.detail === 'where answered'), 'the valid call was answered');
    const probes = report.findings.filter((f) => f.id === 'modern.param-headers').map((f) => `${f.outcome}: ${f.detail}`);
    assert.equal(probes.length, 4, probes.join('\n'));
    assert.match(probes[0]!, /^pass: tools\/call of where, Mcp-Param-Region: mcpwire-check-other with "region": ".*" in the arguments: HTTP 400 with -32020$/);
    assert.match(probes[1]!, /^pass: tools\/call of where, no Mcp-Param-Region header with "region": ".*" in the arguments: HTTP 400 with -32020$/);
    assert.match(probes[2]!, /^pass: tools\/call of route, Mcp-Param-Zone: mcpwire-check-other with "target\.zone": ".*" in the arguments: HTTP 400 with -32020$/);
    assert.match(probes[3]!, /^pass: tools\/call of route, no Mcp-Param-Zone header with "target\.zone": ".*" in the arguments: HTTP 400 with -32020$/);
    // Session 31 (checkwalk16): where's region is free text, so a raw non-ASCII byte in its header is probed; ours refuses it.
    const chars = report.findings.filter((f) => f.id === 'modern.param-header-chars').map((f) => `${f.outcome}: ${f.detail}`);
    assert.equal(chars, ['pass: tools/call of where with "region": "mcpwire-check-\u00e9" and Mcp-Param-Region carrying it raw (the byte 0xE9, not =?base64?...?=): HTTP 400 with -32020']);
    // And the same text sent as a client must (=?base64?...?=) is decoded and served.
    const base64 = report.findings.filter((f) => f.id === 'modern.param-header-base64').map((f) => `${f.outcome}: ${f.detail}`);
    assert.equal(base64, ['pass: tools/call of where with "region": "mcpwire-check-\u00e9" and Mcp-Param-Region: =?base64?bWNwd2lyZS1jaGVjay3DqQ==?=: HTTP 200 with a result']);
  } finally {
    await handler.close();
    await http.close();
  }
});

headers('a server whose marks are enums only still gets the raw-byte and base64 probes, on the enum', async () => {
  // Session 32 (checkwalk17): both rules said "not run" here before; tools in practice mark enums.
  const server = createServer({ name: 'param-headers-enums', version: '1.0.0' }, { onError: () => undefined });
  server.tool({
    name: 'where', description: 'Echoes its region.', annotations: { readOnlyHint: true },
    inputSchema: { type: 'object', properties: { region: { type: 'string', enum: ['eu-west', 'us-east'], 'x-mcp-header': 'Region' } }, required: ['region'] },
  }, (args: { region: string }) => `region: ${args.region}`);
  let handler: McpHttpHandler | undefined;
  const http = await listen((request) => handler!.handle(request), { port: 0 });
  handler = createMcpHttpHandler(server, { allowedHosts: [`127.0.0.1:${http.port}`] });
  try {
    const report = await runCheck({ target: { kind: 'http', url: `http://127.0.0.1:${http.port}/mcp`, headers: {} }, timeoutMs: 5_000, specVersion: '2026-07-28', only: ['modern.param-header-chars', 'modern.param-header-base64'] });
    const probes = report.findings.filter((f) => f.id.startsWith('modern.param-header')).map((f) => `${f.outcome} ${f.id}: ${f.detail}`);
    assert.equal(probes, [
      'pass modern.param-header-chars: tools/call of where with "region": "eu-west" and Mcp-Param-Region: "eu-west\u00e9" (the value with the raw byte 0xE9 appended, not =?base64?...?=): HTTP 400 with -32020',
      'pass modern.param-header-base64: tools/call of where with "region": "eu-west" and Mcp-Param-Region: =?base64?ZXUtd2VzdA==?=: HTTP 200 with a result',
    ]);
  } finally {
    await handler.close();
    await http.close();
  }
});

headers.run();
