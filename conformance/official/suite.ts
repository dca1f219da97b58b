/**
 * Running the official conformance suite (`@modelcontextprotocol/conformance`, a pinned
 * devDependency) and reading what it wrote. Shared by the legs: run-server.ts now, a client
 * leg later. On Node 20 the suite is launched through register.mjs (see there for why).
 */
import { spawn } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from './baseline.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The checkout's root (two levels above this file). */
export const ROOT = join(here, '..', '..');

/** The suite's CLI entry point in node_modules. */
export function suiteEntry(): string {
  const require = createRequire(join(ROOT, 'package.json'));
  const pkg = require.resolve('@modelcontextprotocol/conformance/package.json');
  const entry = join(dirname(pkg), 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`conformance suite not found at ${entry}; run npm install`);
  return entry;
}

/** Node arguments that start the suite: the shim first where `fs.globSync` is missing (Node < 22). */
export function suiteCommand(): string[] {
  const hasGlobSync = typeof (nodeFs as Record<string, unknown>).globSync === 'function';
  return [...(hasGlobSync ? [] : ['--import', join(here, 'register.mjs')]), suiteEntry()];
}

/** Options of {@link runSuite}. */
export interface RunSuiteOptions {
  /** Suite arguments after the entry point, e.g. `['server', '--url', url, ...]`. */
  args: string[];
  /** The suite's output (stdout and stderr) goes here. */
  logFile: string;
  /** Kill the suite after this many ms. */
  timeoutMs: number;
}

/** Run the suite to completion; resolves with its exit code (null when it was killed). */
export async function runSuite(options: RunSuiteOptions): Promise<number | null> {
  const log = createWriteStream(options.logFile);
  const child = spawn(process.execPath, [...suiteCommand(), ...options.args], {
    cwd: ROOT,
    // The suite passes its environment to the clients it launches: keep NODE_OPTIONS clean.
    env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const timer = setTimeout(() => {
    log.write(`\n[runner] the suite exceeded ${options.timeoutMs} ms and was killed\n`);
    child.kill('SIGKILL');
  }, options.timeoutMs);
  try {
    return await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
  } finally {
    clearTimeout(timer);
    await new Promise<void>((resolve) => log.end(resolve));
  }
}

/** What `list --requirements <revision>` says one leg must pass, and what it runs unscored. */
export interface RequirementList {
  readonly scored: string[];
  readonly notScored: string[];
}

/**
 * The scenarios a leg's `list` output names: `list --requirements <revision>` (scored and
 * not scored), or `list --server|--client --spec-version <revision>`, whose lines carry each
 * scenario's revisions (`  - name [2025-06-18,2025-11-25]`) and are all scored.
 */
export function parseScenarioList(text: string, leg: 'server' | 'client'): RequirementList {
  if (/^Required for /m.test(text)) return parseRequirementList(text, leg);
  const scored: string[] = [];
  let section: 'server' | 'client' | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^Server scenarios/.test(line)) section = 'server';
    else if (/^Client scenarios/.test(line)) section = 'client';
    else if (/^\S/.test(line)) section = undefined;
    else if (section === leg) {
      const m = /^ {2}- (\S+)(?: \[[^\]]*\])?$/.exec(line);
      if (m) scored.push(m[1] as string);
    }
  }
  return { scored, notScored: [] };
}

/** Parse the output of `list --requirements <revision>` for one leg. */
export function parseRequirementList(text: string, leg: 'server' | 'client'): RequirementList {
  const scored: string[] = [];
  const notScored: string[] = [];
  let section: 'server' | 'client' | 'not-scored' | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^Server scenarios/.test(line)) section = 'server';
    else if (/^Client scenarios/.test(line)) section = 'client';
    else if (/^Run and reported, but never scored/.test(line)) section = 'not-scored';
    else if (/^\S/.test(line)) section = undefined;
    else if (section === leg) {
      const m = /^ {2}- (\S+)$/.exec(line);
      if (m) scored.push(m[1] as string);
    } else if (section === 'not-scored') {
      const m = /^\s+- (\S+) \[(server|client)\]$/.exec(line);
      if (m && m[2] === leg) notScored.push(m[1] as string);
    }
  }
  return { scored, notScored };
}

/**
 * Every `checks.json` under `dir`, as scenario results. Folders are named
 * `<prefix><scenario>-<ISO time>`; `auth/` scenarios sit in a subfolder.
 */
export function readResults(dir: string, prefix: string): ScenarioResult[] {
  const results: ScenarioResult[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'checks.json') {
        const scenario = relative(dir, dirname(path)).split('\\').join('/')
          .replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '')
          .replace(new RegExp(`^${prefix}`), '');
        results.push({ scenario, checks: JSON.parse(readFileSync(path, 'utf8')) as ScenarioResult['checks'] });
      }
    }
  };
  walk(dir);
  return results.sort((a, b) => a.scenario.localeCompare(b.scenario));
}

/**
 * The last `lines` lines of what the client (or server) printed in scenario `scenario`
 * (the suite's `stdout.txt` and `stderr.txt` beside its `checks.json`), for a report that
 * must explain a failure without the results directory at hand.
 */
export function scenarioOutputTail(dir: string, scenario: string, lines = 12): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (!entry.isDirectory()) continue;
      const name = relative(dir, path).split('\\').join('/').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '');
      if (name.endsWith(scenario) && existsSync(join(path, 'checks.json'))) {
        for (const file of ['stdout.txt', 'stderr.txt']) {
          if (!existsSync(join(path, file))) continue;
          const text = readFileSync(join(path, file), 'utf8').trimEnd();
          if (text) found.push(`${file}:`, ...text.split('\n').slice(-lines).map((l) => `  ${l}`));
        }
      } else walk(path);
    }
  };
  walk(dir);
  return found;
}

/** Count checks by status. */
export function tally(results: readonly ScenarioResult[]): { passed: number; failed: number; warnings: number } {
  let passed = 0;
  let failed = 0;
  let warnings = 0;
  for (const r of results) {
    for (const c of r.checks) {
      if (c.status === 'SUCCESS') passed++;
      else if (c.status === 'FAILURE') failed++;
      else if (c.status === 'WARNING') warnings++;
    }
  }
  return { passed, failed, warnings };
}
