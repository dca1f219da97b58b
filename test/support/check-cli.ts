// Runs the built `mcpwire check` as a user does, for the CLI's test files.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const mcpwireBin = fileURLToPath(new URL('../../bin/mcpwire.js', import.meta.url));

export function runCheck(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mcpwireBin, 'check', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    // No time limit of its own: the check bounds each exchange (--timeout, 10 s by default)
    // and so ends by itself; a fixed 90 s for a whole run was outlasted on a loaded machine.
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
