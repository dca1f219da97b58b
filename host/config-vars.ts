/**
 * Variables in a config file's strings, expanded as the hosts whose files we read expand them,
 * so a file written for them means the same here (it used to reach the server as written):
 *
 *   ${env:NAME}                  VS Code: the host's environment
 *   ${NAME}, ${NAME:-default}    Claude Code's .mcp.json: the same; the default when unset or empty
 *   ${input:ID}                  VS Code: an entry of the file's "inputs", asked for once a run
 *   ${userHome} ${workspaceFolder} ${workspaceFolderBasename} ${pathSeparator} ${/}
 *
 * Expanded in `url`, `headers`, `command`, `args`, `env` and `cwd`, only of enabled entries.
 * A variable that cannot be given a value is an error naming where it is and what to do.
 */
import { basename, dirname, sep } from 'node:path';

/** A VS Code input (`inputs` of mcp.json): `promptString` or `pickString`. */
export interface ConfigInput {
  id: string;
  type: 'promptString' | 'pickString';
  description: string;
  password: boolean;
  default: string | undefined;
  options: string[] | undefined;
}

/** Asks for an input's value (the terminal, in `mcpwire host`); undefined when nobody can answer. */
export type AskInput = (input: ConfigInput) => Promise<string>;

export interface ConfigVars {
  env: Record<string, string | undefined>;
  home: string;
  /** The folder `${workspaceFolder}` names: the parent of a `.vscode` folder holding the file, else the file's folder. */
  workspace: string;
  /** `${input:ID}` values, resolved before the entries are read. */
  inputs: Map<string, string>;
}

const VARIABLE = /\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment variable that answers `${input:ID}` without asking: MCPWIRE_INPUT_ plus the id in capitals. */
export const inputEnvName = (id: string): string => `MCPWIRE_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** `${workspaceFolder}` for a config in `dir`. */
export const workspaceOf = (dir: string): string => (basename(dir) === '.vscode' ? dirname(dir) : dir);

/** `text` with its variables replaced; `where` names the string in errors (`mcpServers.a.env.KEY`). */
export function expandVars(text: string, where: string, vars: ConfigVars): string {
  if (!text.includes('${')) return text;
  return text.replace(VARIABLE, (whole, inner: string) => {
    const value = lookup(inner, vars);
    if (value === undefined) throw new Error(`${where}: ${whole} ${missing(inner, vars)}`);
    return value;
  });
}

function lookup(inner: string, vars: ConfigVars): string | undefined {
  if (inner.startsWith('env:')) return vars.env[inner.slice(4)];
  if (inner.startsWith('input:')) return vars.inputs.get(inner.slice(6));
  switch (inner) {
    case 'userHome': return vars.home;
    case 'workspaceFolder': return vars.workspace;
    case 'workspaceFolderBasename': return basename(vars.workspace);
    case 'pathSeparator': case '/': return sep;
  }
  const dash = inner.indexOf(':-');
  const name = dash === -1 ? inner : inner.slice(0, dash);
  if (!ENV_NAME.test(name)) return undefined;
  const value = vars.env[name];
  // POSIX's ${NAME:-default}: the default when NAME is unset or empty.
  return dash !== -1 && (value === undefined || value === '') ? inner.slice(dash + 2) : value;
}

function missing(inner: string, vars: ConfigVars): string {
  if (inner.startsWith('env:')) return `needs ${inner.slice(4)} set in the environment`;
  if (inner.startsWith('input:')) return `names an input the file's "inputs" do not define`;
  const name = inner.split(':-')[0]!;
  if (ENV_NAME.test(name)) return `needs ${name} set in the environment (or a default: \${${name}:-value})`;
  return 'is not a variable mcpwire host knows (it knows ${env:NAME}, ${NAME}, ${NAME:-default}, ${input:ID}, ${userHome}, ${workspaceFolder}, ${workspaceFolderBasename}, ${pathSeparator})';
}

/** A copy of an entry with the variables of the strings mcpwire reads expanded; other values are left for the entry's checks. */
export function expandEntry(entry: Record<string, unknown>, where: string, vars: ConfigVars): Record<string, unknown> {
  const out = { ...entry };
  for (const key of ['url', 'command', 'cwd']) if (typeof out[key] === 'string') out[key] = expandVars(out[key] as string, `${where}.${key}`, vars);
  if (Array.isArray(out.args)) out.args = out.args.map((a, i) => (typeof a === 'string' ? expandVars(a, `${where}.args[${i}]`, vars) : a));
  for (const key of ['headers', 'env']) {
    const map = out[key];
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? expandVars(v, `${where}.${key}.${k}`, vars) : v]));
  }
  return out;
}

/** The file's `inputs` (VS Code), checked; an input of another type is refused only when used. */
export function parseInputs(value: unknown): Map<string, ConfigInput | string> {
  const out = new Map<string, ConfigInput | string>();
  if (value === undefined) return out;
  if (!Array.isArray(value)) throw new Error('"inputs" must be an array');
  value.forEach((raw, i) => {
    const at = `inputs[${i}]`;
    if (typeof raw !== 'object' || raw === null || typeof raw.id !== 'string' || raw.id === '') throw new Error(`${at} needs an "id"`);
    if (raw.type !== 'promptString' && raw.type !== 'pickString') {
      out.set(raw.id, `${at} ("${raw.id}") is of type "${String(raw.type)}", which only VS Code can answer; mcpwire host asks for "promptString" and "pickString"`);
      return;
    }
    const options = raw.type === 'pickString' ? raw.options : undefined;
    if (raw.type === 'pickString' && (!Array.isArray(options) || options.length === 0 || !options.every((o: unknown) => typeof o === 'string'))) {
      throw new Error(`${at} ("${raw.id}") is a pickString without "options" (an array of strings)`);
    }
    if (raw.default !== undefined && typeof raw.default !== 'string') throw new Error(`${at} ("${raw.id}"): "default" must be a string`);
    out.set(raw.id, {
      id: raw.id, type: raw.type, description: typeof raw.description === 'string' ? raw.description : raw.id,
      password: raw.password === true, default: raw.default, options,
    });
  });
  return out;
}

/** The ids of `${input:ID}` in these entries' strings, in order of first use. */
export function inputsUsed(entries: unknown[]): string[] {
  const ids = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(VARIABLE)) if (m[1]!.startsWith('input:')) ids.add(m[1]!.slice(6));
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  entries.forEach(visit);
  return [...ids];
}

/**
 * A value for each input used: its MCPWIRE_INPUT_ variable, else asked (`ask`, on a terminal),
 * else its default. Asked once a run, in order of first use.
 */
export async function resolveInputs(used: string[], defined: Map<string, ConfigInput | string>, env: ConfigVars['env'], ask: AskInput | undefined): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const id of used) {
    const input = defined.get(id);
    if (input === undefined) throw new Error(`\${input:${id}} is used but the file's "inputs" do not define "${id}"`);
    if (typeof input === 'string') throw new Error(input);
    const fromEnv = env[inputEnvName(id)];
    let value = fromEnv ?? (ask ? await ask(input) : input.default);
    if (value === '' && input.default !== undefined && fromEnv === undefined) value = input.default;
    if (value === undefined) {
      throw new Error(`\${input:${id}} ("${input.description}") needs an answer: run in a terminal to be asked, or set ${inputEnvName(id)}`);
    }
    if (input.options && !input.options.includes(value)) {
      throw new Error(`\${input:${id}} ("${input.description}") must be one of ${input.options.map((o) => `"${o}"`).join(', ')}, got "${value}"`);
    }
    values.set(id, value);
  }
  return values;
}
