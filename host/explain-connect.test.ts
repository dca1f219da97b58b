// One line for a server that could not be connected to. A server answering garbage was
// reported as "... is not an MCP server: the server's JSON reply held no response to request
// 1796397190379000, but a body that is not JSON": our request's internal id, which means
// nothing to a person (userwalk, session 12). It names initialize instead.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, LocalErrorCode, McpError } from 'mcpwire/protocol';
import { explainConnect } from './explain.ts';

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

connect.run();
