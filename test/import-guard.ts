// Run a script in a fresh Node process where some imports are refused: ESM imports through a
// module hook (import-guard.mjs), CommonJS require() by wrapping Module.prototype.require.
// Tests use it to show that a module graph does not load undici, child_process or any node:
// builtin. The script's stdout is returned; a refused import makes the script throw.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hook = new URL('./import-guard.mjs', import.meta.url).href;

export interface GuardedRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Run `body` (an ES module's text, top-level await allowed) with imports matching `refuse`
 * failing. `from: 'source'` runs the .ts sources through tsx (the `mcpwire-source` export condition),
 * `'dist'` the built package. The guard is installed before `body` runs, after Node's own start.
 */
export function runGuarded(body: string, refuse: RegExp, from: 'source' | 'dist', args: readonly string[] = []): Promise<GuardedRun> {
  const prelude = `
const { register, default: Module } = await import('node:module');
const refuse = ${JSON.stringify(refuse.source)};
register(${JSON.stringify(hook)}, { data: { refuse } });
const pattern = new RegExp(refuse);
const require0 = Module.prototype.require;
Module.prototype.require = function (id) {
  if (pattern.test(id)) throw new Error('require refused: ' + id + ' from ' + this.filename);
  return require0.apply(this, arguments);
};
`;
  const flags = from === 'source' ? ['--conditions=mcpwire-source', '--import', 'tsx'] : [];
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, '--input-type=module', '-e', prelude + body, ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ ok: error === null, stdout, stderr });
    });
  });
}
