// Footprint entry, for comparison: SDK 1.32's Client with StdioClientTransport only.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const client = new Client({ name: 'size', version: '1.0.0' });
await client.connect(new StdioClientTransport({ command: 'node', args: ['server.js', '--stdio'] }));
console.log(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }));
await client.close();
