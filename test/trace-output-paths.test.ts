// mcpwire trace: an output file that cannot be written is a usage error before the traced
// server starts. Before, --html failed only after the whole trace (the diagram lost), --log
// failed in a stream error, and --jsonl printed a bare errno.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));

function run(argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`trace did not end: ${stderr}`)); }, 20_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr }); });
  });
}

const test = suite('mcpwire trace: output files');

for (const flag of ['--jsonl', '--log', '--html']) {
  test(`${flag} to a path that cannot be written: exit 2 naming it, the server never started`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpwire-trace-out-'));
    try {
      const marker = join(dir, 'server-ran');
      const bad = join(dir, 'missing', 'out');
      const server = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')`;
      const { code, stderr } = await run(['trace', flag, bad, ...(flag === '--jsonl' ? ['--quiet'] : []), '--', process.execPath, '-e', server]);
      assert.is(code, 2, stderr);
      assert.ok(stderr.includes(`${flag} ${bad} cannot be written`), stderr);
      assert.is(existsSync(marker), false, 'the traced server was started');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test.run();
