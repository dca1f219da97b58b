/**
 * `check` run on an HTTP fault server (servers*.ts), for the HTTP fault test files, split by
 * kind (transport, protocol, 2026-07-28) so each stays well inside the test runner's per-file bound.
 */
import { runCheck } from '../check/runner.ts';
import type { Finding } from '../check/findings.ts';
import { startFaultServer, type Fault } from './servers.ts';

/** The failed MUST and SHOULD rules (with details), the listen-filter passes (the listen probe's, and apart those of the listen open while a task is polled), the http.notification-202 passes, the jsonrpc.zero-id passes (era: detail) the cancellation.no-response passes (era: detail) the modern.removed-methods passes, the tasks.schema passes, the modern.notification-outside-listen passes, the ids of every rule passed, every finding, and the failed MUST and SHOULD findings that show no exchange (what was sent and what came back). */
export async function checkHttpFault(fault: Fault | undefined): Promise<{ failed: string[]; listenPasses: string[]; taskListenPasses: string[]; acceptedPasses: string[]; zeroIdPasses: string[]; cancelPasses: string[]; removedPasses: string[]; taskSchemaPasses: string[]; outsidePasses: string[]; passIds: string[]; findings: readonly Finding[]; unexplained: string[] }> {
  const running = await startFaultServer(fault);
  try {
    // `touch` changes both notes while the listen is open: listen-widened shows only then.
    const report = await runCheck({ target: { kind: 'http', url: running.url, headers: {} }, timeoutMs: 5_000, listenTrigger: 'touch' });
    const failed = report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info');
    // The listen probe's passes; the listen open while a task is polled passes apart (its detail begins "a listen").
    const listenPasses = report.findings.filter((f) => f.id === 'modern.listen-filter' && f.outcome === 'pass' && !f.detail.startsWith('a listen ')).map((f) => f.detail);
    const taskListenPasses = report.findings.filter((f) => f.id === 'modern.listen-filter' && f.outcome === 'pass' && f.detail.startsWith('a listen ')).map((f) => f.detail);
    const acceptedPasses = report.findings.filter((f) => f.id === 'http.notification-202' && f.outcome === 'pass').map((f) => f.detail);
    const zeroIdPasses = report.findings.filter((f) => f.id === 'jsonrpc.zero-id' && f.outcome === 'pass').map((f) => `${f.era}: ${f.detail}`);
    const passIds = [...new Set(report.findings.filter((f) => f.outcome === 'pass').map((f) => f.id))];
    const removedPasses = report.findings.filter((f) => f.id === 'modern.removed-methods' && f.outcome === 'pass').map((f) => f.detail);
    const cancelPasses = report.findings.filter((f) => f.id === 'cancellation.no-response' && f.outcome === 'pass').map((f) => `${f.era}: ${f.detail}`);
    const taskSchemaPasses = report.findings.filter((f) => f.id === 'tasks.schema' && f.outcome === 'pass').map((f) => f.detail);
    const outsidePasses = report.findings.filter((f) => f.id === 'modern.notification-outside-listen' && f.outcome === 'pass').map((f) => f.detail);
    return { failed: [...new Set(failed.map((f) => `${f.id}: ${f.detail}`))], listenPasses, taskListenPasses, acceptedPasses, zeroIdPasses, cancelPasses, removedPasses, taskSchemaPasses, outsidePasses, passIds, findings: report.findings, unexplained: failed.filter((f) => f.exchange === undefined).map((f) => `${f.id}: ${f.detail}`) };
  } finally {
    await running.close();
  }
}
