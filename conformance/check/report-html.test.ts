// The HTML report: self-contained (no external resource), its summary cells equal the JSON
// summary, text is escaped; and in headless Chromium (when installed) it renders, its script
// runs, and the counts recomputed from the rendered rows match the JSON summary.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRecorder } from './findings.ts';
import { makeReport, type CheckReport } from './report.ts';
import { formatHtml } from './report-html.ts';

const html = suite('check HTML report');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

function sample(): CheckReport {
  const rec = createRecorder();
  rec.fail('http.origin', 'got 200 <script>alert(1)</script>', 'POST ... -> 200', 'legacy');
  rec.fail('http.post-accept', 'got 200', undefined, 'legacy');
  rec.fail('tools.valid-call', 'isError', undefined, 'legacy');
  rec.pass('http.get-stream', 'SSE', 'legacy');
  rec.pass('schema.message', 'ok', 'modern');
  rec.skip('auth.prm', 'no challenge');
  return makeReport('http://127.0.0.1:1/mcp', ['2025-11-25'], new Date(), rec.findings);
}

function summaryCells(doc: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of doc.matchAll(/data-summary="([A-Za-z]+-[a-z]+)">(\d+)</g)) out[m[1]!] = Number(m[2]);
  return out;
}

function expected(report: CheckReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [sev, counts] of Object.entries(report.summary.counts)) for (const [o, n] of Object.entries(counts)) out[`${sev}-${o}`] = n;
  return out;
}

html('self-contained, escaped, and its summary cells equal the JSON summary', () => {
  const report = sample();
  const doc = formatHtml(report);
  assert.not.match(doc, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.not.match(doc, /<script>alert/);
  assert.match(doc, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.equal(summaryCells(doc), expected(report));
  assert.match(doc, /data-passed="false"/);
});

html('renders in headless Chromium: the script ran and the rendered rows match the JSON summary', async () => {
  if (!CHROMIUM) {
    console.log('  skipped: no Chromium at /usr/bin/chromium (apt-get install chromium to run this check)');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-html-'));
  try {
    const report = sample();
    const file = join(dir, 'report.html');
    await writeFile(file, formatHtml(report));
    const dom = await new Promise<string>((resolve, reject) => {
      const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', pathToFileURL(file).href], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('error', reject);
      child.once('close', () => { clearTimeout(timer); resolve(out); });
    });
    assert.match(dom, /data-rendered="yes"/);
    const counts = JSON.parse(/id="dom-counts"[^>]*>([^<]*)</.exec(dom)![1]!.replace(/&quot;/g, '"')) as Record<string, number>;
    const want = Object.fromEntries(Object.entries(expected(report)).filter(([, n]) => n > 0));
    assert.equal(counts, want);
    assert.equal(summaryCells(dom), expected(report));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

html.run();
