// The README's ```ts snippets and the declarations of the names each takes from the page around
// it, shared by the test that type-checks them against the sources (readme-snippets) and the one
// that type-checks and runs them against the packed tarball (package-types).

export interface Snippet { line: number; code: string }

/** Every ```ts block of the README with the line its code starts on (1-based). */
export function snippets(text: string): Snippet[] {
  const found: Snippet[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README line ${i + 1}: a \`\`\`ts block that never closes`);
    found.push({ line: i + 2, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return found;
}

/** Declarations for the names a snippet takes from its surroundings, keyed by a line it contains. */
export const PRELUDES: Array<{ marker: string; prelude: string }> = [
  {
    marker: "import * as z from 'zod';",
    prelude: "import type { McpServer } from 'mcpwire/server';\ndeclare const server: McpServer;",
  },
  {
    marker: "import * as v from 'valibot';",
    prelude: "import { createServer } from 'mcpwire/server';\ndeclare const info: { name: string; version: string };",
  },
  {
    marker: "server.resource({ uri: 'docs://guide'",
    prelude: [
      "import type { McpServer } from 'mcpwire/server';",
      'declare const server: McpServer;',
      'declare const userIds: string[];',
      'declare const users: Map<string, string>; // a profile as JSON text',
      'declare function files(typed: string, chosen: Record<string, string> | undefined): string[];',
    ].join('\n'),
  },
  {
    marker: 'app.use(express.json());',
    prelude: [
      "import express from 'express';",
      "import Fastify from 'fastify';",
      "import { Hono } from 'hono';",
      "import type { HttpBindings } from '@hono/node-server';",
      "import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';",
      "import Koa from 'koa';",
      "import { createServer } from 'node:http';",
      "import type { McpHttpHandler } from 'mcpwire/server';",
      'declare const handler: McpHttpHandler;',
      'const app = express();',
      'const fastify = Fastify();',
      'const hono = new Hono<{ Bindings: HttpBindings }>();',
      'const koa = new Koa();',
      'declare const Bun: { serve(options: { fetch(request: Request): Response | Promise<Response> }): unknown };',
      'declare const Deno: { serve(handler: (request: Request) => Response | Promise<Response>): unknown };',
    ].join('\n'),
  },
  {
    marker: 'const auth = createOAuthClient({',
    prelude: [
      "import { join } from 'node:path';",
      'declare const stateDir: string;',
      'declare function showToUserAndWaitForRedirect(url: URL): Promise<URL>;',
    ].join('\n'),
  },
];

export function preludeFor(snippet: Snippet): string {
  const matches = PRELUDES.filter((p) => snippet.code.split('\n').some((l) => l.trim() === p.marker || l.startsWith(p.marker)));
  if (matches.length > 1) throw new Error(`README line ${snippet.line}: more than one prelude matches`);
  return matches[0]?.prelude ?? '';
}
