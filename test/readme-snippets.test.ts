// The README's TypeScript snippets type-check against the library as they are written, so an
// API change that leaves a snippet stale fails here. Each ```ts block is compiled as its own
// module (never written to disk) with the project's compiler options; the names a snippet uses
// without defining them (a `server` made earlier on the page, an express `app`) come from a
// prelude below, matched by a line of the snippet. A snippet that needs no prelude has none.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

interface Snippet { line: number; code: string }

/** Every ```ts block of the README with the line its code starts on (1-based). */
function snippets(text: string): Snippet[] {
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
const PRELUDES: Array<{ marker: string; prelude: string }> = [
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

function preludeFor(snippet: Snippet): string {
  const matches = PRELUDES.filter((p) => snippet.code.split('\n').some((l) => l.trim() === p.marker || l.startsWith(p.marker)));
  if (matches.length > 1) throw new Error(`README line ${snippet.line}: more than one prelude matches`);
  return matches[0]?.prelude ?? '';
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = `${root}tsconfig.json`;
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  return { ...parsed.options, noEmit: true };
}

/** The project's own declaration files (e.g. the JSON modules it imports), as tsc -p includes them. */
function projectDeclarations(): string[] {
  const configPath = `${root}tsconfig.json`;
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath).fileNames.filter((f) => f.endsWith('.d.ts'));
}

/** Compiles the snippets as virtual files beside the tests; returns one message per error. */
function typeCheck(all: Snippet[]): string[] {
  const files = new Map<string, { snippet: Snippet; preludeLines: number; text: string }>();
  for (const snippet of all) {
    const prelude = preludeFor(snippet);
    const text = prelude === '' ? `${snippet.code}\nexport {};\n` : `${prelude}\n${snippet.code}\nexport {};\n`;
    files.set(`${root}test/readme-snippet-${snippet.line}.ts`, { snippet, preludeLines: prelude === '' ? 0 : prelude.split('\n').length, text });
  }
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name)?.text ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) => {
    const virtual = files.get(name);
    return virtual ? ts.createSourceFile(name, virtual.text, version, true) : getSourceFile.call(host, name, version, ...rest);
  };
  const program = ts.createProgram([...files.keys(), ...projectDeclarations()], options, host);
  const problems: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const virtual = d.file ? files.get(d.file.fileName) : undefined;
    if (virtual === undefined || d.start === undefined) { problems.push(`${d.file?.fileName ?? '(options)'}: ${message}`); continue; }
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start);
    const at = line - virtual.preludeLines;
    problems.push(at < 0 ? `prelude of README line ${virtual.snippet.line}: ${message}` : `README line ${virtual.snippet.line + at}: ${message}`);
  }
  return problems;
}

const readmeSnippets = suite('README TypeScript snippets');

readmeSnippets('every prelude belongs to a snippet that is still there', () => {
  const all = snippets(readme);
  for (const { marker } of PRELUDES) {
    assert.ok(all.some((s) => s.code.split('\n').some((l) => l.trim() === marker || l.startsWith(marker))), `no README snippet has the line ${marker}`);
  }
});

readmeSnippets('each snippet type-checks as written', () => {
  const all = snippets(readme);
  assert.ok(all.length >= 7, `found only ${all.length} \`\`\`ts blocks`);
  const problems = typeCheck(all);
  assert.equal(problems, [], problems.join('\n'));
});

readmeSnippets.run();
