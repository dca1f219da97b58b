/**
 * One uvu suite per kind of seeded stdio fault (conformance/faults/stdio-*-faults.test.ts): a
 * test helper, kept out of conformance/ so the checker's folder imports no test runner
 * (test/layering.test.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkStdioFault } from './stdio-fault-check.ts';
import { overlapped } from './overlapped.ts';
import { STDIO_FAULTS, type StdioMode } from '../../conformance/faults/stdio-server.ts';

/**
 * A uvu suite with one case per mode: the check of that mode's server fails exactly its seeded
 * rule; `also` asserts more on the details (the finding's words).
 */
export function stdioFaultSuite(title: string, modes: Iterable<StdioMode>, also?: (mode: StdioMode, details: string) => void): void {
  const stdio = suite(title);
  const list = [...modes];
  const checked = overlapped(list, checkStdioFault); // the checks mostly wait: two at a time from the start
  for (const mode of list) {
    const rule = STDIO_FAULTS[mode];
    stdio(`${mode} is found as ${String(rule)}, and nothing else`, async () => {
      const { failedRules, details } = await checked(mode);
      assert.equal(failedRules, [rule], details);
      also?.(mode, details);
    });
  }
  stdio.run();
}
