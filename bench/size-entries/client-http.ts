// Footprint entry: an MCP client over Streamable HTTP or stdio (what SDK 1.32's client entry is measured with).
import { createClient, createHttpClientTransport, createStdioClientTransport } from 'mcpwire/client';

const url = process.argv[2];
const client = createClient({ name: 'size', version: '1.0.0' });
await client.connect(url ? createHttpClientTransport({ url }) : createStdioClientTransport({ command: 'node', args: ['server.js', '--stdio'] }));
console.log(await client.callTool('echo', { text: 'hi' }));
await client.close();
