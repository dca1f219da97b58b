// A plan's step that finished while another step still ran ended without a word: its live line
// went, and nothing said it was done or where its result would be, while the plan waited on
// the other step for a minute (hostwalk18's walk of the demo: the research finished while the
// booking waited on its model request). It says so in one line now; the result stays the plan's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallToolResult } from 'mcpwire/protocol';
import { createSettle } from './call-settle.ts';
import { createCallOutput, type HostCall } from './calls.ts';
import type { Connection } from './connection-types.ts';
import { createCallHistory, type CallRecord } from './history.ts';
import { createPaint } from './progress-view.ts';
import type { Terminal } from './terminal.ts';

const settle = suite('host: how a call ends, said once');
const conn = { name: 'agents' } as unknown as Connection;
const plan = { id: 'p1', goal: 'a trip to Tokyo and research heat pumps', steps: 2 };
const done: CallToolResult = { content: [{ type: 'text', text: 'Research on "heat pumps"' }] };

async function setUp() {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-settle-'));
  const printed: string[] = [];
  const term = { tty: false, paint: createPaint(false), columns: 80, asking: false, print(t: string) { printed.push(t); }, setLive() {} } as unknown as Terminal;
  const output = createCallOutput(term, (c) => `#${c.n} ${c.tool}`);
  const history = createCallHistory({ file: join(dir, 'history.json'), onError: (e) => { throw e; } });
  const records = new Map<HostCall, CallRecord>();
  const shutdown = new AbortController();
  const end = createSettle({ term, output, history, records, shutdown: shutdown.signal });
  const start = (tool: string, step: number | undefined, quiet = true) => {
    const record = history.begin({ server: 's', serverName: 'agents', tool, args: {}, ...(step !== undefined ? { plan: { ...plan, step } } : {}) });
    const call = output.add(record.n, { conn, tool, args: {}, resumed: false, quiet });
    records.set(call, record);
    return call;
  };
  const settled = async (call: HostCall, result: CallToolResult) => {
    end(call, Promise.resolve(result));
    await call.done;
  };
  return { printed, start, settled, output, remove: async () => { await history.flush(); await rm(dir, { recursive: true, force: true }); } };
}

settle('a plan step done before the other says so in one line, with no result; the last step says nothing (the plan shows all)', async () => {
  const t = await setUp();
  try {
    const travel = t.start('travel_agent', 1);
    const research = t.start('research_agent', 2);
    const earlier = t.start('research_agent', 2); // an attempt of the same step, still running: not another step
    await t.settled(research, done);
    Object.assign(earlier, { status: 'failed' }); // redirected (plan-step.ts)
    t.output.finish(earlier);
    assert.equal(t.printed, ['✓ #2 research_agent finished in 0.0 s: step 2 of 2; the plan shows its result once #1 travel_agent is done']);
    await t.settled(travel, done);
    assert.is(t.printed.length, 1, t.printed.join('\n'));
  } finally {
    await t.remove();
  }
});

settle('a step that reported an error is left to the plan to tell; a call of no plan shows its result', async () => {
  const t = await setUp();
  try {
    const travel = t.start('travel_agent', 1);
    const research = t.start('research_agent', 2);
    await t.settled(research, { ...done, isError: true });
    assert.equal(t.printed, []);
    const own = t.start('research_agent', undefined, false);
    await t.settled(own, done);
    assert.match(t.printed.join('\n'), /^✓ #3 research_agent finished in [\d.]+ s\n *Research on "heat pumps"/, JSON.stringify(t.printed));
    t.output.finish(travel);
  } finally {
    await t.remove();
  }
});

settle.run();
