/**
 * The plan's answer: a structured summary of every step (what ran where, after which
 * detours, with what result, and the sources the steps that got done cited), and, when a model is configured, the
 * model's combined answer on top, citing steps as [n]. A model that fails leaves the
 * structured summary, with a note.
 */
import { elapsedText } from './progress-view.ts';
import { renderResult, resultLinks, resultText } from './render.ts';
import type { SamplingProvider } from './sampling.ts';
import type { StepOutcome, StepStatus } from './plan-step.ts';

const STATUS_WORD: Record<StepStatus, string> = {
  done: 'done', unfinished: 'ended without doing it', error: 'the tool reported an error', failed: 'failed', cancelled: 'cancelled', skipped: 'skipped',
};

/** "2 done, 1 declined …" as counts per status, in a fixed order. */
export function statusCounts(outcomes: readonly StepOutcome[]): string {
  const order: StepStatus[] = ['done', 'unfinished', 'error', 'failed', 'cancelled', 'skipped'];
  return order.map((s) => [s, outcomes.filter((o) => o.status === s).length] as const)
    .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${STATUS_WORD[s]}`).join(', ');
}

/**
 * One line of the plan's source list. A source the step's own text cites as [n] (its link
 * title starts "[n] ") is listed as [step.n], so the two numberings do not read as one.
 */
function sourceLine(step: number, link: { uri: string; title: string }): string {
  const cited = /^\[(\d+)\]\s+/.exec(link.title);
  return cited ? `  [${step}.${cited[1]}] ${link.uri}  ${link.title.slice(cited[0].length)}` : `  [${step}] ${link.uri}  ${link.title}`;
}

/** A source line of a step's own text: `[n] title (uri)`. */
const OWN_SOURCE = /^\s*\[\d+\]\s.*\((\S+)\)\s*$/;

/**
 * A step's text without its own source list (`Sources:` then `[n] title (uri)` lines) where
 * the step links those URIs: the plan's Sources list names them as [step.n], so listing them
 * under the step too printed every source twice.
 */
function withoutListedSources(lines: readonly string[], linked: ReadonlySet<string>): string[] {
  const kept = lines.filter((l) => {
    const uri = OWN_SOURCE.exec(l)?.[1];
    return uri === undefined || !linked.has(uri);
  });
  // A "Sources:" heading left with no entries under it goes too, with the blank lines before it.
  const out: string[] = [];
  kept.forEach((l, i) => {
    const next = kept.slice(i + 1).find((n) => n.trim() !== '');
    if (/^\s*Sources:\s*$/.test(l) && (next === undefined || !/^\s*\[\d+\]/.test(next))) {
      while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
      return;
    }
    out.push(l);
  });
  return out;
}

/**
 * A step's text with its citations renumbered as the plan's Sources list names them: [n] of
 * a source the step links becomes [step.n]. Left as [n], step 3's "[1]" pointed the reader at
 * the plan's source [1], another step's booking.
 */
function citingAsListed(text: string, step: number, links: ReadonlyArray<{ title: string }>): string {
  const listed = new Set(links.map((l) => /^\[(\d+)\]\s/.exec(l.title)?.[1]).filter((n) => n !== undefined));
  return listed.size === 0 ? text : text.replace(/\[(\d+)\]/g, (whole, n: string) => (listed.has(n) ? `[${step}.${n}]` : whole));
}

/** A route's problem that says the attempt was cancelled ("cancelled", "cancelled on leaving"), not that its server failed. */
const isCancelled = (problem: string) => problem === 'cancelled' || problem.startsWith('cancelled ');

/** A server the plan could not use when it was made, and why (unreachable, not MCP). */
export interface UnusedServer {
  server: string;
  why: string;
}

/**
 * The structured summary: each step's result under its purpose, the servers that could not
 * be used (when no step went to them: a step's own route already says it), then every source.
 */
export function combine(goal: string, by: string, outcomes: readonly StepOutcome[], elapsedMs: number, unused: readonly UnusedServer[] = []): string {
  const ok = outcomes.filter((o) => o.status === 'done').length;
  const lines = [`══ Plan: "${goal}" (${by}): ${ok} of ${outcomes.length} step${outcomes.length === 1 ? '' : 's'} done in ${elapsedText(elapsedMs)}${ok === outcomes.length ? '' : ` (${statusCounts(outcomes)})`}`];
  const sources: string[] = [];
  outcomes.forEach((o, i) => {
    const served = o.route.filter((r) => r.problem === undefined).map((r) => r.server)[0];
    const detour = o.route.filter((r) => r.problem !== undefined && !isCancelled(r.problem)).map((r) => r.server);
    // An attempt an earlier run cancelled (leaving, with no stream to resume) is no failure of
    // its server, but the person was told of it: the answer names it too.
    const stopped = o.route.filter((r) => r.call !== undefined && r.problem !== undefined && isCancelled(r.problem)).map((r) => `#${r.call} on ${r.server} was ${r.problem}`);
    const where = served ? `${o.step.tool} on ${served}${detour.length > 0 ? `, after ${[...new Set(detour)].join(', ')} failed` : ''}${stopped.map((s) => `; ${s}`).join('')}` : o.step.tool;
    lines.push('', `${i + 1}. ${o.step.purpose} (${where})${o.status === 'done' ? '' : `: ${STATUS_WORD[o.status]}`}`);
    if (o.result && o.status === 'done') {
      const links = resultLinks(o.result);
      const shown = renderResult(o.result).split('\n').filter((l) => !l.trimStart().startsWith('↗'));
      lines.push(citingAsListed(withoutListedSources(shown, new Set(links.map((l) => l.uri))).join('\n'), i + 1, links));
      for (const link of links) sources.push(sourceLine(i + 1, link));
    } else if (o.result) {
      // Not done (a declined or cancelled booking, a tool error): what it links is a record of
      // that, not a source of the answer, so it stays under its step.
      lines.push(renderResult(o.result));
    } else if (o.status === 'skipped' || o.status === 'cancelled') {
      lines.push(`  ${o.error ?? o.status}`);
    } else {
      lines.push(`  not done: ${o.error ?? o.route.map((r) => r.problem).join('; ')}`);
    }
  });
  const tried = new Set(outcomes.flatMap((o) => o.route.map((r) => r.server)));
  const notUsed = unused.filter((u) => !tried.has(u.server));
  if (notUsed.length > 0) lines.push('', 'Not used (could not be used when the plan was made):', ...notUsedLines(notUsed));
  if (sources.length > 0) lines.push('', 'Sources:', ...sources);
  return lines.join('\n');
}

/**
 * One line per server the plan could not use: each once (a server may fail several ways), and
 * not named twice on its line when the reason already names it ("cannot reach dead ...").
 */
function notUsedLines(unused: readonly UnusedServer[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const u of unused) {
    if (seen.has(u.server)) continue;
    seen.add(u.server);
    const named = u.why.split(/[\s(),;:]+/).includes(u.server);
    out.push(named ? `  ${u.why}` : `  ${u.server}: ${u.why}`);
  }
  return out;
}

/**
 * The model's combined answer for `goal` from the steps' results; undefined when there is
 * no model or nothing to combine. Rejects when the model fails (the caller notes it).
 */
export async function combineWithModel(goal: string, outcomes: readonly StepOutcome[], provider: SamplingProvider, signal: AbortSignal): Promise<{ text: string; model: string } | undefined> {
  if (!provider.isModel) return undefined;
  const parts = outcomes.map((o, i) => `[${i + 1}] ${o.step.purpose} (${STATUS_WORD[o.status]}):\n${o.result ? resultText(o.result) : o.error ?? ''}`);
  if (!outcomes.some((o) => o.result)) return undefined;
  const reply = await provider.complete({
    systemPrompt: 'You combine the results of several tool calls into one short answer for the user\'s goal. '
      + 'Use only the results given; say plainly what did not get done. Cite results by their number, like [1].',
    messages: [{ role: 'user', content: { type: 'text', text: `Goal: ${goal}\n\nResults:\n${parts.join('\n\n')}\n\nAnswer in at most 6 sentences.` } }],
    maxTokens: 500,
    temperature: 0.2,
  }, signal);
  const text = (Array.isArray(reply.content) ? reply.content : [reply.content]).map((b) => (b.type === 'text' ? b.text : '')).join('').trim();
  return text === '' ? undefined : { text, model: reply.model };
}
