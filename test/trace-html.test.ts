// `mcpwire trace --html` (issue #21): a travel-agent booking traced over stdio; the HTML
// report renders in headless Chromium (Debian's package) and shows as many messages as the
// JSONL has. Skipped, with the reason printed, where Chromium is not installed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient, createStdioClientTransport } from 'mcpwire/client';
import type { TraceRecord } from 'mcpwire/conformance';

const bin = fileURLToPath(new URL('../bin/mcpwire.js', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** The page's DOM after its scripts ran, from headless Chromium. */
function dumpDom(file: string, profile: string): Promise<string> {
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(file).href];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM!, flags, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

const html = suite('mcpwire trace --html: a travel booking, rendered in headless Chromium');

html('the report renders; its message count matches the JSONL; elicitation reaches the human lane', async () => {
  if (!CHROMIUM) {
    console.log('  skipped: Chromium is not installed (Debian package chromium); the HTML report was not rendered');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-trace-html-'));
  try {
    const jsonl = join(dir, 'trace.jsonl');
    const page = join(dir, 'trace.html');
    const client = createClient({ name: 'trace-html', version: '1' }, {
      onElicit: () => ({ action: 'accept', content: { confirm: true, fareClass: 'economy' } }),
      onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'A short trip to Lisbon.' }, model: 'test' }),
    });
    await client.connect(createStdioClientTransport({
      command: process.execPath,
      args: [bin, 'trace', '--quiet', '--jsonl', jsonl, '--html', page, '--', process.execPath, bin, 'serve', '--stdio', '--agents', '--state', join(dir, 'state'), '--step-ms', '0'],
    }));
    const year = new Date().getFullYear() + 1; // the agent refuses dates in the past
    const result = await client.callTool('travel_agent', { destination: 'lisbon', travellers: 2, dates: `${year}-05-01/${year}-05-05` }, { onProgress: () => {} });
    await client.close(); // the tracer writes the page when its server exits
    assert.not.ok(result.isError, JSON.stringify(result.content));
    const records = (await readFile(jsonl, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceRecord);
    const messages = records.filter((r) => r.kind !== 'http' && r.kind !== 'stdio');
    assert.ok(messages.some((r) => r.method === 'elicitation/create'), 'the booking asked the user');
    const dom = await dumpDom(page, join(dir, 'profile'));
    const rows = dom.match(/<div class="row kind-(?!http|stdio)[a-z]+/g) ?? [];
    assert.is(rows.length, messages.length, 'one row per message in the JSONL');
    assert.match(dom, new RegExp(`data-messages="${messages.length}"`));
    assert.match(dom, new RegExp(`<span id="shown">${records.length}</span>`), "the page's own script ran and counted its rows");
    assert.match(dom, /class="behind human"[^>]*>asks the user/);
    assert.match(dom, /2 stdio events/, 'the end of the session: stdin closed, the server exited');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

html.run();
