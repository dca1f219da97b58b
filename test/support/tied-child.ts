/**
 * For tests: a child process that ends with this one, even when this one is killed with
 * SIGKILL and runs no cleanup (a test runner killed from outside left `redis-server` and
 * `mcpwire serve` running for good). On Linux the command runs under `setpriv --pdeathsig
 * KILL` (util-linux), which sets the parent-death signal and then execs the command under
 * the same pid, so signals sent to the child reach the command itself; elsewhere, or without
 * setpriv, the command as is. test/run.js and transport/redis/test-server.ts do the same.
 */
import { existsSync } from 'node:fs';

const setpriv = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) : undefined;

/** `[command, args]` to pass to `spawn` so the child is killed when this process dies. */
export function tiedToParent(command: string, args: readonly string[]): [string, string[]] {
  return setpriv === undefined ? [command, [...args]] : [setpriv, ['--pdeathsig', 'KILL', '--', command, ...args]];
}
