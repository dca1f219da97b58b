// The findings model and its outputs: --only/--skip selection, one failure kept per detail,
// the summary (a MUST failure fails the run; SHOULD/info never do), text, JSON and JUnit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRecorder, selected, MAX_FAILURES_PER_RULE } from './findings.ts';
import { formatJson, formatJunit, formatText, makeReport } from './report.ts';
import { RULE_CATALOG } from './catalog.ts';

const findings = suite('check findings');

findings('--only and --skip take ids and dotted prefixes', () => {
  assert.ok(selected('http.origin', { only: ['http.'] }));
  assert.ok(selected('http.origin', { only: ['http'] }));
  assert.not.ok(selected('httpx.origin', { only: ['http'] }));
  assert.not.ok(selected('schema.message', { only: ['http.'] }));
  assert.not.ok(selected('http.origin', { skip: ['http.origin'] }));
  assert.ok(selected('http.get-stream', { skip: ['http.origin'] }));
});

findings('a recorder fills severity, section and fix from the catalog and drops unselected rules', () => {
  const rec = createRecorder({ skip: ['tools.'] });
  rec.fail('http.origin', 'got 200', { very: 'x'.repeat(2000) }, 'legacy');
  rec.fail('tools.valid-call', 'skipped by filter');
  assert.equal(rec.findings.length, 1);
  const f = rec.findings[0]!;
  assert.equal([f.id, f.severity, f.section, f.fix], ['http.origin', 'MUST', RULE_CATALOG['http.origin'].section, RULE_CATALOG['http.origin'].fix]);
  assert.ok(f.exchange!.length < 700 && f.exchange!.includes('more chars'), 'exchange trimmed');
});

findings('the same failure twice is one finding; a rule keeps at most MAX_FAILURES_PER_RULE', () => {
  const rec = createRecorder();
  rec.fail('schema.message', 'same');
  rec.fail('schema.message', 'same');
  for (let i = 0; i < MAX_FAILURES_PER_RULE + 5; i++) rec.fail('schema.message', `n${i}`);
  assert.equal(rec.findings.length, MAX_FAILURES_PER_RULE);
});

findings('the same failure in two eras is a finding per era (session 31)', () => {
  const rec = createRecorder();
  rec.fail('tools.unique-names', 'tools/list names "echo" more than once', undefined, 'modern');
  rec.fail('tools.unique-names', 'tools/list names "echo" more than once', undefined, 'legacy');
  rec.fail('tools.unique-names', 'tools/list names "echo" more than once', undefined, 'legacy');
  assert.equal(rec.findings.map((f) => f.era), ['modern', 'legacy']);
});

findings('only a MUST failure fails the run', () => {
  const rec = createRecorder();
  rec.fail('http.post-accept', 'got 200');
  rec.fail('tools.valid-call', 'isError');
  rec.pass('http.origin', 'got 403');
  assert.ok(makeReport('x', [], new Date(), rec.findings).summary.passed);
  rec.fail('http.session-unknown', 'got 200');
  const report = makeReport('x', [], new Date(), rec.findings);
  assert.not.ok(report.summary.passed);
  assert.equal(report.summary.counts.MUST, { pass: 1, fail: 1, skip: 0 });
  assert.equal(report.summary.counts.SHOULD.fail, 1);
});

findings('text lists failures MUST first with spec, exchange and fix, then the table', () => {
  const rec = createRecorder();
  rec.fail('tools.valid-call', 'isError');
  rec.fail('http.session-unknown', 'got 200', 'POST ... -> 200');
  const text = formatText(makeReport('http://x/mcp', ['2025-11-25'], new Date(), rec.findings));
  assert.ok(text.indexOf('http.session-unknown') < text.indexOf('tools.valid-call'));
  assert.match(text, /spec: 2025-11-25 basic\/transports: session management/);
  assert.match(text, /seen: POST \.\.\. -> 200/);
  assert.match(text, /MUST\s+0\s+1\s+0/);
  assert.match(text, /result: 1 MUST failure/);
});

findings('text: an exchange of several lines (a client\'s output) stays under "seen:", with no empty line after it', () => {
  const rec = createRecorder();
  rec.fail('client.exit', 'exit 4', 'boom: no config\nat line 2\n');
  const text = formatText(makeReport('client: x', [], new Date(), rec.findings));
  assert.match(text, /\n     seen: boom: no config\n           at line 2\n     fix: /);
});

findings('JSON round-trips the report; JUnit counts MUST/SHOULD failures and escapes text', () => {
  const rec = createRecorder();
  rec.fail('http.origin', 'got <200> & "ok"', '<x>');
  rec.fail('tools.valid-call', 'isError');
  rec.pass('http.get-stream', 'ok');
  const report = makeReport('http://x/mcp?a=1&b=2', [], new Date(), rec.findings);
  assert.equal(JSON.parse(formatJson(report)).summary, report.summary);
  const xml = formatJunit(report);
  assert.match(xml, /<testsuites name="mcpwire check" tests="3" failures="1">/);
  assert.match(xml, /got &lt;200&gt; &amp; &quot;ok&quot;/);
  assert.match(xml, /a=1&amp;b=2/);
  assert.match(xml, /<skipped message="isError"\/>/);
});

findings.run();
