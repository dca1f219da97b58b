// `mcpwire check --client` against a client whose POST body never ends: the check's scripted
// server read every POST whole (`request.text()`) to judge it, so such a client grew the
// check's memory for as long as it ran. The body is now read to the server's own body bound
// (`maxBodyBytes`, 4 MiB), then the server answers 413 and the client stops.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientCheck } from './client-check.ts';

const client = fileURLToPath(new URL('./fixtures/endless-post-client.mjs', import.meta.url));
const endless = suite('check --client: an endless POST body');

endless('is read no further than the server\'s body bound; the check ends with the client', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-check-endless-'));
  try {
    const count = join(dir, 'sent');
    const report = await runClientCheck({ command: [process.execPath, client, '{url}', count], timeoutMs: 30_000 });
    const exit = report.findings.find((f) => f.id === 'client.exit');
    assert.is(exit?.outcome, 'pass', JSON.stringify(exit));
    // The client's own count: what the check let it send before answering.
    const [sent, ...how] = (await readFile(count, 'utf8')).trim().split(' ');
    assert.ok(Number(sent) < 64 * 1024 * 1024, `the client sent ${sent} bytes before the check answered`);
    assert.match(how.join(' '), /answered 413|connection closed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

endless.run();
