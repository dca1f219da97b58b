// The README's TypeScript snippets type-check against the library as they are written, so an
// API change that leaves a snippet stale fails here. Each ```ts block is compiled as its own
// module (never written to disk) with the project's compiler options; the names a snippet uses
// without defining them (a `server` made earlier on the page, an express `app`) come from a
// prelude (test/support/readme-snippets.ts), matched by a line of the snippet. A snippet that
// needs no prelude has none.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { PRELUDES, preludeFor, snippets, type Snippet } from './support/readme-snippets.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

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
