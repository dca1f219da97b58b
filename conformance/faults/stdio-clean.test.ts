// mcpwire's own stdio server (also when it logs on stderr) fails no MUST or SHOULD rule, and
// every framing rule and the stdio string-id and version probes were checked and passed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../check/runner.ts';
import { STDIO_FAULT_TIMEOUT_MS, stdioFaultTarget } from '../../test/support/stdio-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';
import type { Finding } from '../check/findings.ts';
import type { StdioMode } from './stdio-server.ts';

const stdio = suite('check passes mcpwire\'s own stdio server');

async function findings(mode: StdioMode): Promise<readonly Finding[]> {
  const target = await stdioFaultTarget(mode);
  const report = await runCheck({ target, timeoutMs: STDIO_FAULT_TIMEOUT_MS, stdioExitMs: 3_000, listenTrigger: 'touch' });
  return report.findings;
}

const failed = (all: readonly Finding[]) => all.filter((f) => f.outcome === 'fail' && f.severity !== 'info').map((f) => `${f.id}: ${f.detail}`);

/** The two checks mostly wait (exchange bounds, windows): they run side by side from the start. */
const checked = overlapped(['good', 'stderr-chatty'] as const, findings);
for (const mode of ['good', 'stderr-chatty'] as const) {
  stdio(`${mode}: no MUST or SHOULD failure, every framing rule checked and passed`, async () => {
    const all = await checked(mode);
    assert.equal(failed(all), []);
    for (const id of ['stdio.framing-input', 'stdio.embedded-newline', 'stdio.exit-on-eof', 'stdio.stderr', 'stdio.stdout-messages']) {
      assert.ok(all.some((f) => f.id === id && f.outcome === 'pass'), `${id} passed`);
    }
    // Progress order over stdio was judged in both sessions (progress-order.ts): each before its response.
    for (const era of ['legacy', 'modern'] as const) assert.ok(all.some((f) => f.id === 'progress.token' && f.outcome === 'pass' && f.era === era && f.detail.includes('stdio session')), `progress order judged (${era})`);
    // The stdio string-id and version probes ran (session 18), and the zero-id one (session 22; in 2026-07-28 too, session 23): each passed.
    // Session 25: the task methods the extension removed were refused as unknown.
    for (const method of ['tasks/result', 'tasks/list']) assert.ok(all.some((f) => f.id === 'modern.removed-methods' && f.outcome === 'pass' && f.detail === `stdio ${method} (tasks extension declared): -32601`), `${method} refused over stdio`);
    for (const detail of [/^stdio: a request with the string id "1001" was answered with that string$/, /^stdio: initialize asking for 1999-01-01 was answered with 2025-11-25$/, /^stdio: a request with the id 0 was answered with the id 0$/, /^stdio: server\/discover with the id 0 was answered with the id 0$/]) {
      assert.ok(all.some((f) => f.outcome === 'pass' && detail.test(f.detail)), `a pass matching ${String(detail)}`);
    }
    // Session 19: the listens, tasks and cancellation over stdio ran; each passed (cancellation in both eras).
    for (const id of ['modern.listen-ack', 'modern.listen-subscription-id', 'modern.listen-filter', 'tasks.unknown-id', 'tasks.terminal-final', 'tasks.input-required', 'tasks.no-progress']) {
      assert.ok(all.some((f) => f.id === id && f.outcome === 'pass' && f.era === 'modern'), `${id} passed over stdio`);
    }
    // Session 26: its task answers matched the ext-tasks schema; a request without _meta clientCapabilities got -32602.
    // Session 27: the first task was polled under a listen naming no task (none of its pushes came
    // there) and one naming it (its pushes matched TaskStatusNotification), over stdio too.
    assert.ok(all.some((f) => f.id === 'modern.listen-filter' && f.outcome === 'pass' && /^a listen asking \{"toolsListChanged":true\} \(no taskIds\), open while task \S+ was polled to its end, carried no notifications\/tasks$/.test(f.detail)), 'the unnamed listen under the task, over stdio');
    assert.ok(all.some((f) => f.id === 'tasks.schema' && f.outcome === 'pass' && f.detail.includes('TaskStatusNotificationParams')), 'the pushes on the listen naming the task were held to the ext-tasks schema');
    // Session 27: no message of its 2026-07-28 session was a JSON-RPC request of its own.
    for (const id of ['tasks.schema', 'modern.meta-required', 'modern.server-request', 'modern.notification-outside-listen']) assert.ok(all.some((f) => f.id === id && f.outcome === 'pass' && f.era === 'modern'), `${id} passed over stdio`);
    // Session 28: and the driven 2026-07-28 session (no listen opened) got no change notification.
    assert.ok(all.some((f) => f.id === 'modern.notification-outside-listen' && f.outcome === 'pass' && f.detail.startsWith('the driven session (no listen opened)')), 'the driven session over stdio');
    for (const era of ['legacy', 'modern']) {
      assert.ok(all.some((f) => f.id === 'cancellation.no-response' && f.outcome === 'pass' && f.era === era && f.detail.startsWith(`stdio (${era} era): tools/call of settle, cancelled while running`)), `a ${era} call cancelled over stdio`);
      // Session 24: and the same call made with the id 0, on a process of its own.
      assert.ok(all.some((f) => f.id === 'cancellation.no-response' && f.outcome === 'pass' && f.era === era && f.detail.startsWith(`stdio (${era} era): tools/call of settle with the id 0, cancelled while running`)), `a ${era} call with the id 0 cancelled over stdio`);
    }
    assert.ok(all.some((f) => f.id === 'cancellation.no-response' && f.outcome === 'pass' && /^stdio: 2 listen\(s\) ended by notifications\/cancelled/.test(f.detail)), 'both listens ended by notifications/cancelled');
    // Session 20: the trigger's change to the listened resource came, stamped and granted.
    assert.ok(all.some((f) => f.id === 'modern.listen-filter' && f.outcome === 'pass' && /the trigger tool touch was called \(answered\); 1 notification\(s\) came/.test(f.detail)), 'the listen heard touch\'s change to the readme');
    if (mode === 'stderr-chatty') assert.ok(all.some((f) => f.id === 'stdio.stderr' && /line\(s\) on stderr/.test(f.detail)), 'stderr lines seen and allowed');
  });
}

stdio.run();
