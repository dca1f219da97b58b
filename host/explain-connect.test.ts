// One line for a server that could not be connected to. A server answering garbage was
// reported as "... is not an MCP server: the server's JSON reply held no response to request
// 1796397190379000, but a body that is not JSON": our request's internal id, which means
// nothing to a person (userwalk, session 12). It names initialize instead.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, LocalErrorCode, McpError, RpcError } from 'mcpwire/protocol';
import { createMemoryResumeStore } from 'mcpwire/client';
import { createConnection } from './connection.ts';
import { explain, explainConnect, withServer } from './explain.ts';

const connect = suite('host: why a server could not be connected to, in one line');

connect('an answer that is not JSON-RPC names initialize, not our request id, and what came instead', () => {
  const garbage = new McpError(LocalErrorCode.Protocol, 'the server\'s JSON reply held no response to request 1796397190379000, but a body that is not JSON');
  const line = explainConnect(garbage, 'junk', 'http://127.0.0.1:4813/mcp');
  assert.is(line, 'http://127.0.0.1:4813/mcp is not an MCP server: its answer to initialize was a body that is not JSON, not a JSON-RPC response');
  assert.not.match(line, /1796397190379000/);
});

connect('other protocol faults keep their own message; a 404 names the path', () => {
  assert.is(explainConnect(new McpError(LocalErrorCode.Protocol, 'the server answered a batch'), 'x', 'http://h/mcp'), 'http://h/mcp is not an MCP server: the server answered a batch');
  assert.match(explainConnect(new HttpError(404, 'HTTP 404'), 'x', 'http://h/mcp'), /^nothing answers MCP at http:\/\/h\/mcp \(HTTP 404 to initialize\)/);
});

connect('a port fetch blocks (6000, X11) is named as the fault, not "is it running?" of a server that runs', async () => {
  // The real error undici gives, from a real fetch (it never connects).
  const error = await fetch('http://127.0.0.1:6000/mcp').then(() => undefined, (e: unknown) => e);
  assert.is(explain(error, '127.0.0.1:6000'), 'cannot reach 127.0.0.1:6000: its port is one that fetch, as browsers do, never connects to; serve it on another port');
});

connect('a client pinned to 2026-07-28 against an older server: the client\'s version message, not the peer\'s -32601 or HTTP 400 under it', () => {
  const versionError = (cause: Error) => new McpError(LocalErrorCode.Version, 'the server refused server/discover (Method not found), as a server without 2026-07-28 does; this client is pinned to 2026-07-28 (era \'modern\'): connect with era \'auto\' (or \'legacy-first\') to speak the older version with it', { cause });
  // SDK 2.4's stdio McpServer answers server/discover with -32601 (session 24, host --era modern).
  const overStdio = explainConnect(versionError(new RpcError(-32601, 'Method not found')), 'sdk', undefined);
  assert.is(overStdio, 'sdk: the server refused server/discover (Method not found), as a server without 2026-07-28 does; this client is pinned to 2026-07-28 (era \'modern\'): connect with era \'auto\' (or \'legacy-first\') to speak the older version with it');
  const overHttp = explainConnect(versionError(new HttpError(400, 'POST failed with HTTP 400 Bad Request')), 'old', 'http://h/mcp');
  assert.match(overHttp, /^old: the server refused server\/discover .* era 'auto'/);
  assert.is(explain(versionError(new RpcError(-32601, 'Method not found')), 'sdk'), overStdio);
});

connect('a stdio server that exits during the handshake: how it exited, and its error line, not Node\'s version banner', async () => {
  const noop = () => undefined;
  const conn = createConnection({
    spec: { name: 'crash', kind: 'stdio', command: process.execPath, args: ['-e', 'console.error("Error: Cannot find module \'/x.js\'"); console.error("    at Module._resolveFilename"); console.error(""); console.error("Node.js v20.0.0"); process.exit(1)'], env: {}, cwd: undefined },
    store: createMemoryResumeStore(), logLevel: 'info', callTimeoutMs: 60_000,
    events: { elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, notice: noop, debug: noop },
  });
  try {
    const error = await conn.tools().then(() => undefined, (e: Error) => e);
    assert.ok(error, 'the connect failed');
    assert.is(error!.message, 'crash stopped before answering initialize: server process "' + process.execPath + '" exited with code 1 (its last words: Error: Cannot find module \'/x.js\')');
  } finally {
    await conn.close(false);
  }
});

connect('a stdio server that prints usage and exits 2: the line that names the problem, not its pointer to --help', async () => {
  // Before: "(its last words: Run `mcpwire serve --help` for usage.)" (hostwalk5's leftover).
  const noop = () => undefined;
  const usage = 'console.error("mcpwire serve: choose one transport: --stdio or --http"); console.error("Run `mcpwire serve --help` for usage."); process.exit(2)';
  const conn = createConnection({
    spec: { name: 'misused', kind: 'stdio', command: process.execPath, args: ['-e', usage], env: {}, cwd: undefined },
    store: createMemoryResumeStore(), logLevel: 'info', callTimeoutMs: 60_000,
    restart: { initialDelayMs: 500, maxDelayMs: 500, maxAttempts: 0, stableMs: 30_000 },
    events: { elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, notice: noop, debug: noop },
  });
  try {
    const error = await conn.tools().then(() => undefined, (e: Error) => e);
    assert.ok(error, 'the connect failed');
    assert.match(error!.message, /exited with code 2 \(its last words: mcpwire serve: choose one transport: --stdio or --http\)$/);
  } finally {
    await conn.close(false);
  }
});

connect('a server that answers initialize with another id: the timeout says what it sent instead', async () => {
  // Before: "did not answer in time (initialize timed out after 400 ms)", as for a server that
  // sent nothing; the wrong id was only a --verbose line (hostwalk7, session 24).
  const noop = () => undefined;
  const wrongId = 'require("node:readline").createInterface({ input: process.stdin }).on("line", (l) => { const m = JSON.parse(l);'
    + ' if (m.method === "initialize") console.log(JSON.stringify({ jsonrpc: "2.0", id: "not-" + m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: {}, serverInfo: { name: "w", version: "1" } } })); })';
  const conn = createConnection({
    spec: { name: 'wrongid', kind: 'stdio', command: process.execPath, args: ['-e', wrongId], env: {}, cwd: undefined },
    // 3 s: the wrong answer must come before the handshake times out, and a node child took
    // 0.8 s to start at load 21 on 2 cores, past the 400 ms this used (failed 3 of 3 there).
    store: createMemoryResumeStore(), logLevel: 'info', callTimeoutMs: 60_000, connectTimeoutMs: 3_000,
    events: { elicit: async () => ({ action: 'cancel' }), sample: async () => { throw new Error('no'); }, log: noop, resourceUpdated: noop, notice: noop, debug: noop },
  });
  try {
    const error = await conn.tools().then(() => undefined, (e: Error) => e);
    assert.ok(error, 'the connect failed');
    assert.match(error!.message, /^wrongid did not answer in time \(initialize timed out after 3000 ms\); what it sent instead: response to unknown request id "not-\d+"$/);
  } finally {
    await conn.close(false);
  }
});

connect('withServer: the name leads a message that does not name the server, once', () => {
  assert.is(withServer('sdk', 'cannot reach sdk (connection refused); is it running?'), 'cannot reach sdk (connection refused); is it running?');
  assert.is(withServer('a', 'nothing answers MCP at http://h/mcp (HTTP 404 to initialize)'), 'a: nothing answers MCP at http://h/mcp (HTTP 404 to initialize)');
  assert.is(withServer('sdk', 'Resource not found: sdkx://y'), 'sdk: Resource not found: sdkx://y');
  // A name with characters that mean something in a pattern is taken as it is.
  assert.is(withServer('x.y', 'xzy: no'), 'x.y: xzy: no');
  assert.is(withServer('x.y', 'x.y answered with an error: gone (-32002)'), 'x.y answered with an error: gone (-32002)');
});

connect.run();
