// Footprint entry, for comparison: SDK 1.32's Client with StreamableHTTPClientTransport and StdioClientTransport.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const url = process.argv[2];
const client = new Client({ name: 'size', version: '1.0.0' });
await client.connect(url ? new StreamableHTTPClientTransport(new URL(url)) : new StdioClientTransport({ command: 'node', args: ['server.js', '--stdio'] }));
console.log(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }));
await client.close();
