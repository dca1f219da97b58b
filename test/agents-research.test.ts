// research_agent end to end over the memory pair: ranked sources with progress and findings
// as they are found, a report resource that grows, the summary from the client's model or
// the extractive fallback, citations, the user's own corpus, and prompt cancellation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateMessageParams } from 'mcpwire/protocol';
import { agentsFixture } from './agents-fixture.ts';

function textOf(result: { content: Array<{ type: string; text?: string }> }): string {
  return result.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

const sampling = suite('research_agent: sampling, and the extractive fallback');

sampling('with sampling: the client model writes the summary from numbered findings; the report cites its sources', async () => {
  let asked: CreateMessageParams | undefined;
  const progress: Array<{ progress: number; total?: number; message?: string }> = [];
  const f = await agentsFixture({
    client: {
      onSample: (params) => {
        asked = params;
        return { role: 'assistant', content: { type: 'text', text: 'Grid batteries shift solar power to the evening [1], and microgrids rely on them [2].' }, model: 'test-model-1' };
      },
    },
  });
  try {
    const result = await f.client.callTool('research_agent', { topic: 'grid battery storage', depth: 'quick' }, { onProgress: (p) => progress.push(p) });
    assert.not.ok(result.isError, textOf(result));
    const sc = result.structuredContent as Record<string, any>;
    assert.is(sc.status, 'complete');
    assert.is(sc.summaryMethod, 'sampling');
    assert.is(sc.sources.length, 3);
    assert.is(sc.sources[0].title, 'Grid batteries and the chemistry behind them');
    assert.match(textOf(result), /summary by test-model-1/);
    assert.match(textOf(result), /\[1\] Grid batteries and the chemistry behind them \(agents:\/\/corpus\/battery-storage\)/);

    const prompt = (asked!.messages[0]!.content as { text: string }).text;
    assert.match(prompt, /Topic: grid battery storage/);
    assert.match(prompt, /\[1\] Grid batteries/);
    assert.is(asked!.includeContext, 'none');
    assert.ok(asked!.maxTokens > 0);

    const links = result.content.filter((c) => c.type === 'resource_link') as Array<{ uri: string }>;
    assert.is(links[0]!.uri, sc.uri);
    assert.equal(links.slice(1).map((l) => l.uri), sc.sources.map((s: { uri: string }) => s.uri));
    const report = await f.read(sc.uri);
    assert.match(report, /^# Research report: grid battery storage/);
    assert.match(report, /_Written by the client's model \(test-model-1\)/);
    assert.match(report, /## Sources\n\n- \[1\] \[Grid batteries and the chemistry behind them\]\(agents:\/\/corpus\/battery-storage\)/);
    const source = await f.read(sc.sources[0].uri);
    assert.match(source, /^# Grid batteries/);

    // Progress: ranking, selection, one per source, summary, done; logs: the report URI, then one per finding.
    assert.equal(progress.map((p) => p.progress), [1, 2, 3, 4, 5, 6, 7]);
    assert.match(progress[2]!.message!, /Read source 1\/3: Grid batteries/);
    const findings = f.logs.filter((l) => /^\[\d\] /.test(String(l.data)));
    assert.is(findings.length, 3);
    assert.ok(f.logs.every((l) => l.logger === 'research_agent'));
  } finally {
    await f.close();
  }
  f.taps.assertClean();
});

sampling('without sampling: an extractive summary with citations, and no sampling request', async () => {
  const f = await agentsFixture();
  try {
    const result = await f.client.callTool('research_agent', { topic: 'AI trends' });
    const sc = result.structuredContent as Record<string, any>;
    assert.is(sc.status, 'complete');
    assert.is(sc.summaryMethod, 'extractive');
    assert.is(sc.sources.length, 5); // standard depth reads five sources; many bundled documents mention AI
    assert.match(sc.summary, /\[\d\]\./);
    for (const cited of sc.summary.matchAll(/\[(\d)\]/g)) assert.ok(Number(cited[1]) <= sc.sources.length);
    assert.not.ok(f.taps.messages.some((m) => (m.message as { method?: string }).method === 'sampling/createMessage'));
    const report = await f.read(sc.uri);
    assert.match(report, /_Extractive: the sentences that best match the topic/);
    assert.is((await f.records('reports'))[0]!.status, 'complete');
  } finally {
    await f.close();
  }
});

sampling('a failing sampling request falls back to the extractive summary, and says why', async () => {
  const f = await agentsFixture({ client: { onSample: () => { throw new Error('the user rejected the request'); } } });
  try {
    const result = await f.client.callTool('research_agent', { topic: 'heat pumps cold climate', depth: 'quick' });
    const sc = result.structuredContent as Record<string, any>;
    assert.is(sc.summaryMethod, 'extractive');
    assert.ok(f.logs.some((l) => l.level === 'warning' && /did not answer .*extractive/.test(String(l.data))));
    assert.match(await f.read(sc.uri), /The client's model was asked first and did not answer/);
  } finally {
    await f.close();
  }
});

sampling('the same topic gives the same sources and summary (deterministic)', async () => {
  const a = await agentsFixture();
  const b = await agentsFixture();
  try {
    const ra = (await a.client.callTool('research_agent', { topic: 'urban heat and trees', depth: 'deep' })).structuredContent as any;
    const rb = (await b.client.callTool('research_agent', { topic: 'urban heat and trees', depth: 'deep' })).structuredContent as any;
    assert.equal(ra.sources, rb.sources);
    assert.is(ra.summary, rb.summary);
  } finally {
    await a.close();
    await b.close();
  }
});

sampling.run();

const report = suite('research_agent: the report grows while it is written');

report('a subscriber hears the report change, and reads partial findings before the summary', async () => {
  const partial: string[] = [];
  let uri = '';
  let subscribed: Promise<void> | undefined;
  const f = await agentsFixture({
    client: {
      onLog: (l) => {
        const m = /agents:\/\/reports\/\S+/.exec(String(l.data));
        if (m && !subscribed) {
          uri = m[0];
          subscribed = f.subscribe(uri);
        }
      },
      onSample: async () => {
        await subscribed;
        partial.push(await f.read(uri));
        return { role: 'assistant', content: { type: 'text', text: 'Summary [1].' }, model: 'm' };
      },
    },
  });
  try {
    const result = await f.client.callTool('research_agent', { topic: 'solar microgrid batteries', depth: 'standard' });
    const sc = result.structuredContent as Record<string, any>;
    assert.is(sc.uri, uri);
    // Subscribed before the summary: at least the summary and completion were announced.
    assert.ok(f.updates.filter((u) => u === uri).length >= 2, `${f.updates.length} updates`);
    assert.match(partial[0]!, /Status: researching/);
    assert.match(partial[0]!, /_Pending: findings are still coming in._/);
    for (let n = 1; n <= sc.sources.length; n++) assert.match(partial[0]!, new RegExp(`### \\[${n}\\]`));
    assert.match(await f.read(uri), /Status: complete/);
  } finally {
    await f.close();
  }
});

report('a topic nothing mentions ends with no sources, not an error', async () => {
  const f = await agentsFixture();
  try {
    const result = await f.client.callTool('research_agent', { topic: 'origami falconry' });
    assert.not.ok(result.isError);
    assert.is((result.structuredContent as any).status, 'no_sources');
    assert.match(textOf(result), /no document in the bundled corpus mentions "origami falconry"/);
  } finally {
    await f.close();
  }
});

report('a topic only partly matched says which of its words no document has', async () => {
  const f = await agentsFixture();
  try {
    const progress: Array<{ message?: string }> = [];
    const result = await f.client.callTool('research_agent', { topic: 'mcp transports', depth: 'quick' }, { onProgress: (p) => progress.push(p) });
    assert.not.ok(result.isError);
    const selected = progress.map((p) => p.message ?? '').find((m) => m.startsWith('Selected'));
    assert.match(selected ?? '', /no document mentions "mcp": they match only the rest of the topic/);
  } finally {
    await f.close();
  }
});

report.run();

const own = suite('research_agent: the user\'s own corpus, and cancellation');

own('--corpus DIR: the user\'s files are ranked, read and served as resources', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-corpus-'));
  await mkdir(join(dir, 'notes'));
  await writeFile(join(dir, 'notes', 'bees.md'), '# Urban beekeeping\n\nRooftop hives need shade and water. Bees forage up to three kilometres.\n');
  await writeFile(join(dir, 'garden.txt'), 'Tomatoes like sun. Bees pollinate tomatoes by buzzing the flowers.\n');
  await writeFile(join(dir, 'ignored.pdf'), 'binary');
  const f = await agentsFixture({ agents: { corpusDir: dir } });
  try {
    const listed = await f.client.peer.request('resources/list', undefined);
    assert.equal(listed.resources.map((r) => r.uri).sort(), ['agents://corpus/garden', 'agents://corpus/notes-bees']);
    const result = await f.client.callTool('research_agent', { topic: 'bees' });
    const sc = result.structuredContent as any;
    assert.equal(sc.sources.map((s: { title: string }) => s.title).sort(), ['Urban beekeeping', 'garden']);
    assert.match(sc.summary, /Bees/);
  } finally {
    await f.close();
    await rm(dir, { recursive: true, force: true });
  }
});

own('cancelling research stops at once and marks the report cancelled', async () => {
  const controller = new AbortController();
  let abortedAt = 0;
  const f = await agentsFixture({ agents: { stepDelayMs: 60_000 } });
  try {
    const failure = await f.client.callTool('research_agent', { topic: 'AI energy' }, {
      signal: controller.signal,
      onProgress: () => { abortedAt = Date.now(); controller.abort(); },
    }).then(() => undefined, (e: Error) => e);
    assert.ok(failure);
    const uri = f.uriFromLogs()!;
    await f.subscribe(uri);
    const updated = f.nextUpdate(uri);
    if (!/Status: cancelled/.test(await f.read(uri))) await updated;
    assert.match(await f.read(uri), /Status: cancelled/);
    assert.ok(Date.now() - abortedAt < 2000);
  } finally {
    await f.close();
  }
});

own.run();
