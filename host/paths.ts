/**
 * Where the host keeps its state: `$XDG_STATE_HOME/mcpwire`, else `~/.local/state/mcpwire`
 * (XDG Base Directory: state that should persist between restarts but is not worth backing
 * up). `--state DIR` overrides both.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The user's mcpwire state directory. A relative or empty XDG_STATE_HOME is ignored, as the XDG spec says. */
export function defaultStateDir(env: Readonly<Record<string, string | undefined>> = process.env, home = homedir()): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'mcpwire');
  return join(home, '.local', 'state', 'mcpwire');
}

/** The state directory to use: the `--state` value when given, else the default. */
export function stateDirFrom(option: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return option === undefined ? defaultStateDir(env) : resolve(option);
}

/** The folder of resumption tokens (one file per server) inside a state directory. */
export function tokensDir(stateDir: string): string {
  return join(stateDir, 'tokens');
}

/** The host's call history (numbers, results, answers) inside a state directory. */
export function historyFile(stateDir: string): string {
  return join(stateDir, 'history.json');
}

/** The plans a run did not finish (plan-journal.ts) inside a state directory. */
export function plansFile(stateDir: string): string {
  return join(stateDir, 'plans.json');
}
