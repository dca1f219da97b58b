/**
 * Our server of test/support/sdk2-interop.ts (a little of everything) over stdio in both eras
 * (`serveEras`: the first message decides), for the official SDK's stdio client. Test-only:
 * the stdio interop test launches it.
 */
import { serveEras } from 'mcpwire/server';
import { createStdioServerTransport } from 'mcpwire/transport';
import { fullServer } from './support/sdk2-interop.ts';

await serveEras(fullServer().server, createStdioServerTransport());
