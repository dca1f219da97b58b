/**
 * The instruction counter's client for bench c's shape: `sessions` sessions at once, each
 * driven by driver.ts (its own undici pool, initialize, the standalone GET, sequential echo
 * calls), so the server holds that many sessions and interleaves their calls as c does. A
 * separate file so driver.ts stays the b driver (`run.ts --sessions N` picks this one).
 */
import { driveSession, type Driven } from './driver.ts';

/**
 * Drive `sessions` sessions at `url` at once, `calls` echo calls in all, split evenly
 * (`calls` must divide by `sessions`, so two runs differ by whole calls per session).
 */
export async function driveSessions(url: string, sessions: number, calls: number, raw: boolean): Promise<Driven> {
  if (!(Number.isSafeInteger(sessions) && sessions > 0) || calls % sessions !== 0) {
    throw new Error(`count driver: ${calls} calls do not split evenly over ${sessions} sessions`);
  }
  // One short session first, alone: the server's cold code (interpreted, ~50x slower under
  // callgrind) then answers many initializes at once within Node's 30 s request timeout (408).
  // Both runs of a pair make it, so it cancels.
  await driveSession(url, 20, raw);
  // Each reply waits behind up to `sessions` others in a server ~50x slower under callgrind.
  const each = await Promise.all(Array.from({ length: sessions }, () => driveSession(url, calls / sessions, raw, 15 * 60_000)));
  return { calls, wrong: each.reduce((sum, d) => sum + d.wrong, 0) };
}
