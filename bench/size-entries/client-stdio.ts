// Footprint entry: an MCP client that starts its server as a child process (stdio only).
import { createClient, createStdioClientTransport } from 'mcpwire/client';

const client = createClient({ name: 'size', version: '1.0.0' });
await client.connect(createStdioClientTransport({ command: 'node', args: ['server.js', '--stdio'] }));
console.log(await client.callTool('echo', { text: 'hi' }));
await client.close();
