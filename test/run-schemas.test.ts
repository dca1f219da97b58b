// test/run.js without the spec schemas: the files that need them (their imports reach
// conformance/schema.ts) are skipped with one printed reason, the others still run.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('./run.js', import.meta.url));

function run(filters: string[], schemaDir: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [runner, ...filters], { env: { ...process.env, MCP_SCHEMA_DIR: schemaDir, TEST_JOBS: '1' }, timeout: 120_000 }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout });
    });
  });
}

const skip = suite('test runner: files needing the spec schemas are skipped when there are none');

skip('an empty MCP_SCHEMA_DIR skips schema files with one reason and runs the rest', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'mcpwire-no-schemas-'));
  try {
    // conformance/method-map needs the schemas directly, test/e2e-prompts through the schema tap.
    const { code, out } = await run(['conformance/method-map.test', 'test/e2e-prompts.test', 'protocol/base64.test'], empty);
    assert.is(code, 0, out);
    assert.match(out, /^skip conformance\/method-map\.test\.ts/m);
    assert.match(out, /^skip test\/e2e-prompts\.test\.ts/m);
    assert.match(out, /^ok {3}protocol\/base64\.test\.ts/m);
    assert.is(out.match(/no MCP spec schemas/g)?.length, 1, out);
    assert.match(out, /\n\d+ passed, 0 failed, 2 files skipped\n$/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

skip.run();
