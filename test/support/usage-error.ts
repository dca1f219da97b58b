/** The CLI's usage errors, as the bin/ tests read them. */
import * as assert from 'uvu/assert';
import { UsageError } from '../../bin/args.ts';

/** The message of the UsageError `run` throws or rejects with; anything else, or nothing, fails the test. */
export async function usageError(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}
