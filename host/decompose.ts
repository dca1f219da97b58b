/**
 * Splitting a goal into tool calls. Offline it is rule-based: it recognises a trip (a place
 * after "to"/"in", travellers, dates, a budget) and a research question ("about X", "research
 * X"), and maps them onto the tools the servers offer by their argument names; "then" orders
 * them. With a configured model it asks the model for the calls as JSON (with their
 * dependencies), checks each against the tools, drops an invalid one with a message, and
 * falls back to the rules only when no call is usable.
 */
import type { Tool } from 'mcpwire/protocol';
import type { SamplingProvider } from './sampling.ts';

export interface PlanStep {
  tool: string;
  args: Record<string, unknown>;
  /** What the step is for, in a few words ("Trip", "Research"). */
  purpose: string;
  /** Indexes (0-based, all earlier) of the steps that must succeed before this one runs; absent: none. */
  after?: number[];
}

export interface Decomposition {
  steps: PlanStep[];
  /** 'rules', or the model that planned. */
  by: string;
  /** Why the model's plan was not used, when it was asked. */
  note?: string;
  /** One line per model-proposed call that was dropped, and why. */
  dropped?: string[];
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 };
const TRAVEL = /\b(trip|travel|travell?ing|flights?|fly|book|visit|holiday|vacation|journey|hotel|getaway|itinerary)\b/i;
const RESEARCH = /\b(research|learn|study|report|investigate|find out|read up|about|background|briefing|brief me)\b/i;

/** What ends a topic: "then", "for 2", "with", or "and" before another request. */
const TOPIC_END = String.raw`then|before|for|with|and\s+(?=(?:then|book|fly|travel|plan|visit|go|get|find|research|learn|study|investigate|read up|a trip|trip|tell)\b)`;

type Props = Record<string, { type?: unknown }>;
const propsOf = (tool: Tool): Props => (tool.inputSchema.properties ?? {}) as Props;

/** The first property of `tool` named like one of `names`. */
function argName(tool: Tool, names: readonly string[]): string | undefined {
  const props = Object.keys(propsOf(tool));
  return names.find((n) => props.includes(n));
}

function titleCase(text: string): string {
  return text.replace(/\p{L}+/gu, (w) => w[0]!.toUpperCase() + w.slice(1));
}

/** The facts the rules read from a goal. */
export interface GoalFacts {
  place: string | undefined;
  travellers: number | undefined;
  dates: string | undefined;
  budget: number | undefined;
  topic: string | undefined;
  wantsTravel: boolean;
  wantsResearch: boolean;
}

export function readGoal(goal: string): GoalFacts {
  const text = goal.trim().replace(/^(please\s+)?(plan|organi[sz]e|help me( with)?|i want to|i'd like to)\s+/i, '');
  const place = /\b(?:to|in|visit(?:ing)?|around)\s+((?:\p{Lu}[\p{L}'.-]*)(?:\s+\p{Lu}[\p{L}'.-]*)*)/u.exec(text)?.[1]
    ?? (() => {
      const m = /\b(?:trip|travel|flight|holiday|vacation|getaway)\s+to\s+([\p{L}'.-]+(?:\s+(?!and\b|for\b|with\b|on\b|in\b|under\b)[\p{L}'.-]+)?)/iu.exec(text);
      return m ? titleCase(m[1]!) : undefined;
    })();
  const people = /\b(\d+|one|two|three|four|five|six|seven|eight|nine)\s+(?:people|persons|travell?ers|adults|guests|of us)\b/i.exec(text)
    ?? /\bfor\s+(\d+|two|three|four|five|six|seven|eight|nine)\b(?!\s*(?:nights?|days?|weeks?))/i.exec(text);
  const travellers = people ? (NUMBER_WORDS[people[1]!.toLowerCase()] ?? Number(people[1])) : undefined;
  const dateMatch = /(\d{4}-\d{2}-\d{2})(?:\s*(?:to|until|till|-|–|\/|\.\.)\s*(\d{4}-\d{2}-\d{2}))?/.exec(text);
  const dates = dateMatch ? (dateMatch[2] ? `${dateMatch[1]}/${dateMatch[2]}` : dateMatch[1]) : undefined;
  const budgetMatch = /\b(?:budget(?:\s+of)?|under|below|max(?:imum)?|up to|at most)\s*[€$£]?\s*(\d[\d,]*(?:\.\d+)?)\s*(?:k\b)?/i.exec(text);
  const budget = budgetMatch ? Number(budgetMatch[1]!.replace(/,/g, '')) * (/\d\s*k\b/i.test(budgetMatch[0]) ? 1000 : 1) : undefined;
  // A topic ends at "and" only where another request starts: "research wind and solar" is one.
  const about = new RegExp(String.raw`\b(?:about|on|into|regarding)\s+(.+?)(?=\s+(?:${TOPIC_END}|in\s+\d{4})\b|[.,;!?]|$)`, 'i').exec(text)?.[1]
    ?? new RegExp(String.raw`\b(?:research|learn about|study|investigate|read up on)\s+(?!trip\b)(.+?)(?=\s+(?:${TOPIC_END})\b|[.,;!?]|$)`, 'i').exec(text)?.[1];
  const topic = about && !/^(a |an |the )?(trip|travel|holiday)\b/i.test(about) ? about.trim() : undefined;
  return {
    place: place?.trim(), travellers, dates, budget, topic,
    wantsTravel: TRAVEL.test(text) || (place !== undefined && !RESEARCH.test(text)),
    wantsResearch: RESEARCH.test(text),
  };
}

/**
 * Where a goal starts another research question: "..., then research X", "... and study Y".
 * Only before a research word, so "research wind and solar" stays one topic.
 */
const NEXT_RESEARCH = /\s*(,|;|\band then\b|\bthen\b|\band\b)\s+(?=(?:research|learn about|study|investigate|read up on)\b)/gi;

/** Each research question of the goal, in order, with whether "then" put it after what came before. */
function researchClauses(goal: string): Array<{ topic: string; then: boolean }> {
  const pieces = goal.split(NEXT_RESEARCH); // text, separator, text, separator, text...
  const out: Array<{ topic: string; then: boolean }> = [];
  for (let i = 0; i < pieces.length; i += 2) {
    const topic = RESEARCH.test(pieces[i]!) ? readGoal(pieces[i]!).topic : undefined;
    if (topic !== undefined && !out.some((o) => o.topic === topic)) out.push({ topic, then: i > 0 && /then/i.test(pieces[i - 1]!) });
  }
  return out;
}

/**
 * Where a goal starts another trip: "... and a trip to Tokyo", "..., then fly to Oslo". Only
 * before a travel word, so "a trip to Lisbon and Porto" stays one trip (to Lisbon).
 */
const NEXT_TRIP = /\s*(,|;|\band then\b|\bthen\b|\band\b)\s+(?=(?:(?:a|another)\s+)?(?:trip|travel|fly|flights?|visit|book|holiday|vacation|getaway|journey)\b)/gi;

/** Each trip of the goal with its own facts, in order, with whether "then" put it after what came before. */
function tripClauses(goal: string): Array<{ facts: GoalFacts; then: boolean }> {
  const pieces = goal.split(NEXT_TRIP);
  const out: Array<{ facts: GoalFacts; then: boolean }> = [];
  for (let i = 0; i < pieces.length; i += 2) {
    const facts = readGoal(pieces[i]!);
    if (facts.wantsTravel && facts.place !== undefined && !out.some((o) => o.facts.place === facts.place)) {
      out.push({ facts, then: i > 0 && /then/i.test(pieces[i - 1]!) });
    }
  }
  return out;
}

/** A trip's call: the goal's place, travellers, dates and budget under the tool's own argument names. */
function tripStep(travel: Tool, facts: GoalFacts & { place: string }): PlanStep {
  const args: Record<string, unknown> = {};
  const dest = argName(travel, ['destination', 'city', 'place', 'to']);
  if (dest) args[dest] = facts.place;
  const who = argName(travel, ['travellers', 'travelers', 'people', 'passengers', 'guests']);
  if (who && facts.travellers !== undefined) args[who] = facts.travellers;
  const when = argName(travel, ['dates', 'date', 'when']);
  if (when && facts.dates !== undefined) args[when] = facts.dates;
  const budget = argName(travel, ['budget', 'maxPrice', 'max_price']);
  if (budget && facts.budget !== undefined) args[budget] = facts.budget;
  return { tool: travel.name, args, purpose: `Trip to ${facts.place}` };
}

/** Find the tool for a purpose: by its usual name first, then by words in its name or description. */
function toolFor(tools: readonly Tool[], names: readonly string[], words: RegExp): Tool | undefined {
  return tools.find((t) => names.includes(t.name)) ?? tools.find((t) => words.test(`${t.name} ${t.description ?? ''}`));
}

/** The rule-based split. Throws when the goal names nothing the tools can do. */
export function decomposeByRules(goal: string, tools: readonly Tool[]): Decomposition {
  const facts = readGoal(goal);
  const steps: PlanStep[] = [];
  const travel = toolFor(tools, ['travel_agent'], /travel|trip|book/i);
  if (facts.wantsTravel && travel && facts.place) steps.push(tripStep(travel, { ...facts, place: facts.place }));
  const research = toolFor(tools, ['research_agent'], /research/i);
  if (research && (facts.wantsResearch || steps.length === 0)) {
    const topic = facts.topic ?? facts.place ?? goal.trim();
    const name = argName(research, ['topic', 'query', 'subject', 'question']);
    steps.push({ tool: research.name, args: name ? { [name]: topic } : {}, purpose: `Research: ${topic}` });
  }
  // Several trips ("a trip to Lisbon and a trip to Tokyo"): one step each, in order, each with
  // its own facts ("then" waits). The rules booked the first and silently dropped the others.
  const trips = tripClauses(goal);
  if (travel && trips.length > 1) {
    const others = steps.filter((s) => s.tool !== travel.name);
    steps.length = 0;
    for (const { facts: trip, then } of trips) {
      steps.push({ ...tripStep(travel, { ...trip, place: trip.place! }), ...(then && steps.length > 0 ? { after: [steps.length - 1] } : {}) });
    }
    steps.push(...others);
  }
  // "research X, then book a trip": the later part waits for the earlier one.
  if (trips.length < 2 && steps.length === 2 && /\bthen\b|\bafterwards?\b/i.test(goal)) {
    const then = goal.search(/\bthen\b|\bafterwards?\b/i);
    const researchFirst = goal.slice(0, then).match(RESEARCH) !== null && goal.slice(then).match(TRAVEL) !== null;
    if (researchFirst) steps.reverse();
    steps[1] = { ...steps[1]!, after: [0] };
  }
  // Several research questions ("research X, then research Y"): one step each, in order. The
  // rules read the first and silently dropped the others.
  const questions = researchClauses(goal);
  if (research && questions.length > 1) {
    const name = argName(research, ['topic', 'query', 'subject', 'question']);
    const kept = steps.filter((s) => s.tool !== research.name);
    steps.length = 0;
    steps.push(...kept);
    for (const { topic, then } of questions) {
      steps.push({ tool: research.name, args: name ? { [name]: topic } : {}, purpose: `Research: ${topic}`, ...(then && steps.length > 0 ? { after: [steps.length - 1] } : {}) });
    }
  }
  if (steps.length === 0) {
    const offered = tools.map((t) => t.name).join(', ') || 'none';
    throw new Error(`could not split "${goal}" into calls (tools here: ${offered}); try "plan a trip to Lisbon and research urban heat"`);
  }
  return { steps, by: 'rules' };
}

/** Check one proposed call against the tools: known tool, object arguments, required ones present. */
export function checkStep(item: unknown, i: number, tools: readonly Tool[]): PlanStep {
  const c = (typeof item === 'object' && item !== null ? item : {}) as { tool?: unknown; arguments?: unknown; purpose?: unknown };
  const tool = tools.find((t) => t.name === c.tool);
  if (!tool) throw new Error(`call ${i + 1} names an unknown tool ${JSON.stringify(c.tool)}`);
  if (c.arguments !== undefined && (typeof c.arguments !== 'object' || c.arguments === null || Array.isArray(c.arguments))) {
    throw new Error(`call ${i + 1} (${tool.name}) has arguments that are not an object`);
  }
  const args = (c.arguments ?? {}) as Record<string, unknown>;
  const missing = (tool.inputSchema.required ?? []).filter((r) => !(r in args));
  if (missing.length > 0) throw new Error(`call ${i + 1} (${tool.name}) lacks ${missing.join(', ')}`);
  return { tool: tool.name, args, purpose: typeof c.purpose === 'string' && c.purpose.trim() !== '' ? c.purpose.trim() : tool.title ?? tool.name };
}

/**
 * Check a model's proposal: each call on its own (an invalid one is dropped, with the reason
 * in `dropped`), then its `after` list of earlier call numbers (1-based). Dependencies on a
 * dropped call or on a later one are removed and reported. Throws only when no call is usable.
 */
export function checkPlan(value: unknown, tools: readonly Tool[]): { steps: PlanStep[]; dropped: string[] } {
  const calls = (value as { calls?: unknown } | null)?.calls;
  if (!Array.isArray(calls) || calls.length === 0) throw new Error('no "calls" array');
  const dropped: string[] = [];
  const kept = new Map<number, number>(); // proposed index -> index in steps
  const steps: PlanStep[] = [];
  calls.forEach((c, i) => {
    try {
      const step = checkStep(c, i, tools);
      const after = (c as { after?: unknown }).after;
      const deps: number[] = [];
      for (const n of Array.isArray(after) ? after : []) {
        const target = typeof n === 'number' && Number.isInteger(n) ? kept.get(n - 1) : undefined;
        if (target === undefined) dropped.push(`call ${i + 1}: its dependency on call ${JSON.stringify(n)} was ignored (no such earlier call in the plan)`);
        else if (!deps.includes(target)) deps.push(target);
      }
      kept.set(i, steps.length);
      steps.push(deps.length > 0 ? { ...step, after: deps } : step);
    } catch (error) {
      dropped.push(`${(error as Error).message}: dropped`);
    }
  });
  if (steps.length === 0) throw new Error(dropped.join('; '));
  return { steps, dropped };
}

/** Check a model's proposal strictly: every call must be usable (see {@link checkPlan} for the lenient check). */
export function checkSteps(value: unknown, tools: readonly Tool[]): PlanStep[] {
  const { steps, dropped } = checkPlan(value, tools);
  const invalid = dropped.find((d) => d.endsWith(': dropped'));
  if (invalid) throw new Error(invalid.slice(0, -': dropped'.length));
  return steps;
}

/** The first JSON object in a model's reply (it may wrap it in prose or a code fence). */
export function firstJsonObject(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) throw new Error('no JSON object in the reply');
  return JSON.parse(text.slice(start, end + 1));
}

/** Split a goal: with a model when the provider is one, else (or when its answer is unusable) by rules. */
export async function decompose(goal: string, tools: readonly Tool[], provider: SamplingProvider, signal: AbortSignal): Promise<Decomposition> {
  if (!provider.isModel) return decomposeByRules(goal, tools);
  const catalogue = tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
  try {
    const reply = await provider.complete({
      systemPrompt: 'You split a user goal into MCP tool calls. Calls run in parallel unless one needs another first: '
        + 'then list the numbers (from 1) of the earlier calls it needs in "after". '
        + 'Reply with JSON only: {"calls":[{"tool":"<name>","arguments":{...},"purpose":"<3-6 words>","after":[]}]}. Use only the tools listed.',
      messages: [{ role: 'user', content: { type: 'text', text: `Tools:\n${JSON.stringify(catalogue)}\n\nGoal: ${goal}` } }],
      maxTokens: 600,
      temperature: 0,
    }, signal);
    const text = (Array.isArray(reply.content) ? reply.content : [reply.content]).map((b) => (b.type === 'text' ? b.text : '')).join('');
    const { steps, dropped } = checkPlan(firstJsonObject(text), tools);
    return dropped.length > 0 ? { steps, by: reply.model, dropped } : { steps, by: reply.model };
  } catch (error) {
    const rules = decomposeByRules(goal, tools);
    return { ...rules, note: `the model's plan was not usable (${(error as Error).message}); planned by rules` };
  }
}
