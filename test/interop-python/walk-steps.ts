/**
 * What the walks' drivers share (hard.ts, walk2.ts): a Python walk client's printed lines made
 * into one row, and our own client's steps, each recorded as held or failed with why.
 */
import { run, type WalkRow } from './processes.ts';

/** Run a Python walk client (`OK <step>` / `FAIL <step> <why>` lines, `ERA <version>`) and add its row. */
export async function pythonRow(rows: WalkRow[], walk: string, transport: string, python: string, script: string, args: string[], timeoutMs?: number): Promise<void> {
  const { lines, code, stderr } = await run(python, [script, ...args], timeoutMs);
  const era = lines.find((l) => l.startsWith('ERA '))?.slice(4) ?? '?';
  const steps = lines.filter((l) => l.startsWith('OK ') || l.startsWith('FAIL '));
  const failed = steps.filter((l) => l.startsWith('FAIL '));
  const ok = code === 0 && failed.length === 0 && steps.length > 0;
  rows.push({ walk, transport, era, ok, result: ok ? `${steps.length} steps held` : failed.join('; ') || `exit ${code}: ${stderr.trim().split('\n').pop()}` });
}

/** Our client's steps: each runs, its check says `true` or why not; one failure does not stop the next. */
export function stepRunner() {
  const failed: string[] = [];
  let count = 0;
  const step = async (name: string, action: () => Promise<unknown>, check: (r: any) => string | true): Promise<void> => {
    count++;
    try {
      const verdict = check(await action());
      if (verdict !== true) failed.push(`${name}: ${verdict}`);
    } catch (error) {
      failed.push(`${name}: ${(error as Error).message}`);
    }
  };
  return { step, failed, get count() { return count; } };
}

/** The first content block's text of a tool result. */
export const text = (r: any): string | undefined => r.content?.[0]?.text;
