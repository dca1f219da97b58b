// `mcpwire check --client`: our own client passes every rule; each broken client is found
// with exactly its seeded rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { runClientCheck } from '../check/client-check.ts';
import { bundledScript } from '../../test/support/bundled-script.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import { CLIENT_FAULTS, type ClientMode } from './client.ts';
import type { Finding } from '../check/findings.ts';

const script = fileURLToPath(new URL('./client.ts', import.meta.url));
const clients = suite('check --client finds each seeded client fault');

async function findings(mode: ClientMode): Promise<readonly Finding[]> {
  const report = await runClientCheck({ command: [process.execPath, ...await bundledScript(script), mode, '{url}'], timeoutMs: 30_000 });
  return report.findings;
}

clients('mcpwire\'s own client fails no rule and re-initializes after the 404', async () => {
  const report = await runClientCheck({ command: [process.execPath, ...await bundledScript(script), 'good', '{url}'], timeoutMs: 30_000 });
  const fails = report.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.id}: ${f.detail} ${f.exchange ?? ''}`);
  assert.equal(fails, []);
  assert.ok(report.findings.some((f) => f.id === 'client.reinitialize' && f.outcome === 'pass'));
  assert.ok(report.findings.some((f) => f.id === 'client.answers' && f.outcome === 'pass'));
  assert.ok(report.findings.some((f) => f.id === 'client.retry-wait' && f.outcome === 'pass'), 'its resumes waited out the server\'s retry');
  assert.ok(report.findings.some((f) => f.id === 'client.url-elicitation' && f.outcome === 'pass' && /^1 of 1 /.test(f.detail)), 'a URL-mode elicitation was asked and answered');
  assert.ok(report.findings.some((f) => f.id === 'jsonrpc.zero-id' && f.outcome === 'pass' && /with the id 0 was answered with the id 0$/.test(f.detail)), 'a server request with the id 0 was sent and answered with 0');
  assert.ok(report.findings.some((f) => f.id === 'client.cancel-initialize' && f.outcome === 'pass'), 'client.cancel-initialize judged');
  // Session 33: it declared sampling without tools, so it refused the request the check gave tools.
  assert.ok(report.findings.some((f) => f.id === 'client.sampling-tools-undeclared' && f.outcome === 'pass' && f.era === 'legacy' && /refused: error -32602 /.test(f.detail)), 'client.sampling-tools-undeclared judged');
  // Session 38: check_schema_ref's network $ref was listed (and the tool called) but never fetched.
  assert.ok(report.findings.some((f) => f.id === 'client.network-ref' && f.outcome === 'pass' && /^check_schema_ref's inputSchema, whose \$ref names http:\/\/127\.0\.0\.1:\d+\/schemas\/mcpwire-check-profile\.json, was listed [1-9]\d* time\(s\); nothing fetched it$/.test(f.detail)), 'client.network-ref judged');
});

clients('a client that sends no progressToken resumes from the priming event, and that counts as resuming', async () => {
  const report = await runClientCheck({ command: [process.execPath, ...await bundledScript(script), 'good-no-progress', '{url}'], timeoutMs: 30_000 });
  assert.equal(report.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.id}: ${f.detail}`), []);
  assert.ok(report.findings.some((f) => f.id === 'client.resume' && f.outcome === 'pass'));
});

clients('mcpwire\'s own client in 2026-07-28 fails no rule, answers an input round and echoes requestState', async () => {
  const report = await runClientCheck({ command: [process.execPath, ...await bundledScript(script), 'modern-good', '{url}'], timeoutMs: 30_000 });
  const fails = report.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.id}: ${f.detail} ${f.exchange ?? ''}`);
  assert.equal(fails, []);
  assert.equal(report.eras, ['2026-07-28']);
  // Session 31: client.param-headers, check_region's region mirrored in Mcp-Param-Region.
  // Session 33: client.sampling-tool-choice (it declares sampling.tools in 2026-07-28).
  for (const id of ['client.request-state', 'client.retry-new-id', 'client.invalid-param-header', 'client.param-headers', 'client.modern-headers', 'client.schema', 'client.task-poll-interval', 'client.task-after-terminal', 'client.modern-response', 'client.sampling-tool-choice']) {
    assert.ok(report.findings.some((f) => f.id === id && f.outcome === 'pass' && f.era === 'modern'), `${id} passed in the modern era`);
  }
  // Session 38: a rule on what the client does with a listed schema, in either era.
  assert.ok(report.findings.some((f) => f.id === 'client.network-ref' && f.outcome === 'pass' && f.era === 'any'), 'client.network-ref passed');
});

clients('mcpwire\'s own client in 2026-07-28, sampling declared without tools, ends the call the check offers tools in, and goes on', async () => {
  const report = await runClientCheck({ command: [process.execPath, ...await bundledScript(script), 'modern-no-tools', '{url}'], timeoutMs: 30_000 });
  assert.equal(report.findings.filter((f) => f.outcome === 'fail').map((f) => `${f.id}: ${f.detail}`), []);
  // Session 34: a refusal shows as the client's next message (or exit) within the bound; a stall fails (modern-undeclared-stalls).
  const undeclared = report.findings.filter((f) => f.id === 'client.sampling-tools-undeclared');
  assert.equal(undeclared.map((f) => [f.outcome, f.era]), [['pass', 'modern']]);
  assert.match(undeclared[0]!.detail, /no retry carried one, and the client went on \(its next message came \d+ ms after the round went out\)$/);
});

clients('askTimeoutMs (--ask-timeout) bounds how long a 2026-07-28 client may stall on the refused sampling request', async () => {
  const report = await runClientCheck({ command: [process.execPath, ...await bundledScript(script), 'modern-undeclared-stalls', '{url}'], timeoutMs: 30_000, askTimeoutMs: 1_500 });
  const undeclared = report.findings.filter((f) => f.id === 'client.sampling-tools-undeclared' && f.era === 'modern');
  assert.equal(undeclared.map((f) => f.outcome), ['fail']);
  assert.match(undeclared[0]!.detail, /\(the check allows 1500 ms\)/);
});

clients('a 2026-07-28 client that reads its task again after the result came is told so (info), and fails no MUST or SHOULD rule', async () => {
  const report = await runClientCheck({ command: [process.execPath, ...await bundledScript(script), 'modern-task-polls-after-end', '{url}'], timeoutMs: 30_000 });
  assert.equal(report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`), []);
  const after = report.findings.filter((f) => f.id === 'client.task-after-terminal' && f.outcome === 'fail');
  assert.equal(after.length, 1);
  assert.match(after[0]!.detail, /^1 tasks\/get after the task's terminal status was read: tasks\/get of \S+ after a tasks\/get had read it completed$/);
  assert.ok(report.findings.some((f) => f.id === 'client.task-poll-interval' && f.outcome === 'pass'), 'its polls before the end waited pollIntervalMs');
});

const seeded = (Object.entries(CLIENT_FAULTS) as [ClientMode, string | undefined][]).filter(([, rule]) => rule !== undefined);
/** The checks mostly wait (the client's steps, retries and polls): they run two at a time from the start. */
const checked = overlapped(seeded.map(([mode]) => mode), findings);
for (const [mode, rule] of seeded) {
  clients(`${mode} is found as ${rule}, and nothing else`, async () => {
    const found = (await checked(mode)).filter((f) => f.outcome === 'fail' && f.severity !== 'info');
    const got = found.map((f) => `${f.id}: ${f.detail}`);
    assert.equal([...new Set(found.map((f) => f.id))], [rule], got.join('\n'));
    // Session 31 (checkwalk16): the refusal's error body is the evidence, not only its status.
    if (mode.endsWith('fetches-network-ref')) assert.match(found[0]!.detail, /^the client fetched the network \$ref of check_schema_ref's inputSchema: [1-9]\d* request\(s\) to http:\/\/127\.0\.0\.1:\d+\/schemas\/mcpwire-check-profile\.json, the first GET \/schemas\/mcpwire-check-profile\.json \(User-Agent: [^)]+\)$/);
    if (mode === 'modern-no-param-header') assert.match(found[0]!.exchange ?? '', /"status":400.*"code":-32020/, found[0]!.exchange);
  });
}

clients('a client that does not initialize anew, calling the tools in their listed order (check_progress first), is still asked by check_ask', async () => {
  // Session 34: the session expires after the first tool call other than check_progress; it expired after check_progress, so check_ask got the 404.
  const all = await checked('no-reinitialize');
  const asked = all.filter((f) => f.id === 'client.sampling-tools-undeclared' || f.id === 'client.url-elicitation').map((f) => `${f.id} ${f.outcome} ${f.era}`);
  assert.equal(asked, ['client.sampling-tools-undeclared pass legacy', 'client.url-elicitation pass legacy']);
});

clients.run();
