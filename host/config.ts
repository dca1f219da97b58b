/**
 * Servers from a config file in the `mcpServers` format other MCP hosts read:
 *
 *   { "mcpServers": {
 *       "agents":  { "url": "http://127.0.0.1:3000/mcp" },
 *       "local":   { "command": "node", "args": ["server.js"], "env": { "DEBUG": "1" } } } }
 *
 * `url` (with optional `headers`) is Streamable HTTP; `command` / `args` / `env` / `cwd` is
 * stdio. `type` may say so explicitly; `"disabled": true` skips an entry. VS Code's mcp.json,
 * whose object is `servers`, is read the same way. Variables in the strings (`${env:NAME}`,
 * `${input:ID}`, ...) are expanded as those hosts do: config-vars.ts.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { suggest } from './commands.ts';
import { expandEntry, inputsUsed, parseInputs, resolveInputs, workspaceOf, type AskInput, type ConfigVars } from './config-vars.ts';

/** The keys of a server entry mcpwire reads. Other hosts' keys (e.g. `autoApprove`) are left alone. */
const ENTRY_KEYS = ['type', 'url', 'headers', 'command', 'args', 'env', 'cwd', 'disabled'];

export type ServerSpec = (
  | { name: string; kind: 'http'; url: string; headers: Record<string, string> }
  | { name: string; kind: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd: string | undefined }
) & {
  /** Store tokens under this key instead of the URL (the demo's server changes port each run). */
  key?: string;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringMap(value: unknown, where: string, names?: RegExp): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new Error(`${where} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (names && !names.test(k)) throw new Error(`${where}: "${k}" cannot be a variable name (empty, or holding "=" or a NUL)`);
    if (typeof v !== 'string') throw new Error(`${where}.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

/**
 * A key that is not mcpwire's but is one typo away from one (`evn`, `comand`, `header`) was
 * silently ignored, and the server then failed for a reason far from the mistake: refuse it,
 * naming the key meant. Keys far from every known one are other hosts' and are ignored.
 */
function checkKeys(entry: Json, where: string): void {
  for (const key of Object.keys(entry)) {
    if (ENTRY_KEYS.includes(key)) continue;
    const meant = suggest(key, ENTRY_KEYS);
    if (meant !== undefined) throw new Error(`${where}: unknown key "${key}" (did you mean "${meant}"?)`);
  }
}

/** A Streamable HTTP endpoint's URL, normalised; the error says what is wrong, not where. */
function httpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`is not a URL: "${text}" (e.g. http://127.0.0.1:3000/mcp)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`must be http or https, not ${url.protocol.slice(0, -1)}: "${text}"`);
  return url.href;
}

/** The variables of a config in `baseDir` with no inputs asked for: the process's environment. */
const defaultVars = (baseDir: string): ConfigVars => ({ env: process.env, home: homedir(), workspace: workspaceOf(baseDir), inputs: new Map() });

/** One entry; `baseDir` resolves a relative `cwd`. */
export function parseServerEntry(name: string, raw: unknown, baseDir: string, section = 'mcpServers', vars = defaultVars(baseDir)): ServerSpec | undefined {
  const where = `${section}.${name}`;
  if (!isObject(raw)) throw new Error(`${where} must be an object`);
  if (raw.disabled === true) return undefined;
  checkKeys(raw, where);
  const entry = expandEntry(raw, where, vars);
  if (entry.url !== undefined && entry.command !== undefined && entry.type === undefined) {
    throw new Error(`${where} has both a "url" and a "command": keep the one you mean (or say which with "type")`);
  }
  const type = typeof entry.type === 'string' ? entry.type.toLowerCase() : undefined;
  if (type === 'sse') throw new Error(`${where}: the old HTTP+SSE transport (2024-11-05) is not supported; use a Streamable HTTP "url"`);
  if (type !== undefined && !['stdio', 'http', 'streamable-http', 'streamablehttp'].includes(type)) {
    throw new Error(`${where}: unknown type "${String(entry.type)}" (use "stdio" or "http")`);
  }
  if (typeof entry.url === 'string' && type !== 'stdio') {
    let url: string;
    try {
      url = httpUrl(entry.url);
    } catch (error) {
      throw new Error(`${where}.url ${(error as Error).message}`);
    }
    return { name, kind: 'http', url, headers: stringMap(entry.headers, `${where}.headers`) };
  }
  if (typeof entry.command === 'string' && entry.command !== '') {
    const args = entry.args === undefined ? [] : entry.args;
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new Error(`${where}.args must be an array of strings`);
    return {
      name, kind: 'stdio', command: entry.command, args: args as string[], env: stringMap(entry.env, `${where}.env`, /^[^=\0]+$/), // what an environment can hold
      cwd: typeof entry.cwd === 'string' ? resolve(baseDir, entry.cwd) : undefined,
    };
  }
  throw new Error(`${where} needs a "url" (Streamable HTTP) or a "command" (stdio)`);
}

/** The section holding the entries: VS Code's mcp.json names it "servers" (it was refused). */
function serversOf(doc: unknown): [string, Json] {
  const section = isObject(doc) && !isObject(doc.mcpServers) && isObject(doc.servers) ? 'servers' : 'mcpServers';
  if (!isObject(doc) || !isObject(doc[section])) throw new Error('the config needs an "mcpServers" object (or "servers", as in VS Code\'s mcp.json)');
  return [section, doc[section] as Json];
}

/**
 * Parse a config document; names must be unique and at least one server enabled. `vars`
 * expands the strings' variables (default: this process's environment, no inputs).
 */
export function parseConfig(doc: unknown, baseDir: string, vars = defaultVars(baseDir)): ServerSpec[] {
  const [section, servers] = serversOf(doc);
  const specs: ServerSpec[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`server name "${name}" may only use letters, digits, _ . -`);
    const spec = parseServerEntry(name, entry, baseDir, section, vars);
    if (spec) specs.push(spec);
  }
  if (specs.length === 0) throw new Error('the config has no enabled servers');
  return specs;
}

/** How `loadConfig` answers `${input:ID}`: `ask` (a terminal), else MCPWIRE_INPUT_ID, else the input's default. */
export interface LoadConfigOptions {
  ask?: AskInput;
  env?: ConfigVars['env'];
}

/** Read and parse a config file; errors name the file. */
export async function loadConfig(file: string, options: LoadConfigOptions = {}): Promise<ServerSpec[]> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code ?? (error as Error).message;
    throw new Error(`cannot read the config ${path}: ${why}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`the config ${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    const vars: ConfigVars = { ...defaultVars(dirname(path)), env: options.env ?? process.env };
    const enabled = Object.values(serversOf(doc)[1]).filter((e) => !(isObject(e) && e.disabled === true));
    const used = inputsUsed(enabled);
    if (used.length > 0) vars.inputs = await resolveInputs(used, parseInputs((doc as Json).inputs), vars.env, options.ask);
    return parseConfig(doc, dirname(path), vars);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/**
 * A server for `--url`: named after its host and port. Its errors name no config path (the
 * user wrote none): "is not a URL: ...", for the caller to put after the flag's name.
 */
export function specFromUrl(url: string, name?: string): ServerSpec {
  const href = httpUrl(url);
  return { name: name ?? new URL(href).host, kind: 'http', url: href, headers: {} };
}

/** The key a server's resumption tokens are stored under. */
export function serverKey(spec: ServerSpec): string {
  if (spec.key !== undefined) return spec.key;
  return spec.kind === 'http' ? `http ${spec.url}` : `stdio ${spec.name}`;
}
