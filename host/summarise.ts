/**
 * The offline model of the host: an extractive summariser. It answers a sampling request by
 * picking the most representative sentences of the text it was given (word frequency,
 * weighted towards the topic, skipping near-duplicates), keeps their source numbers when the
 * text lists numbered sources, and honours "in N sentences" and `maxTokens`. When the prompt
 * names a topic, only sentences about it are picked; a sentence that leans on the one before
 * it ("It ...", "These ...") is picked only together with that sentence. No network.
 */

const STOPWORDS = new Set(('a an and are as at be been but by can could do does for from had has have how in into is it its '
  + 'may more most much not of on or our over so such than that the their them then there these they this those to too '
  + 'up use used using was we were what when where which while who will with would you your also about after all any '
  + 'each other only some very per both between within without across via being one two three four five six').split(' '));

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8 };

/** A sentence that may be picked, with the source it came from. */
interface Candidate {
  text: string;
  source: number | undefined;
  position: number;
  terms: Set<string>;
}

function termsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [])
    .map((w) => w.replace(/'s$/, ''))
    .filter((w) => w.length > 2 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}

/** How many sentences the prompt asks for ("in one sentence", "at most 4 sentences"). */
export function requestedSentences(prompt: string): number | undefined {
  const m = /\b(?:in|at most|up to|no more than|maximum of)\s+(\d+|one|two|three|four|five|six|seven|eight)\s+sentences?\b/i.exec(prompt);
  if (!m) return undefined;
  const word = m[1]!.toLowerCase();
  return NUMBER_WORDS[word] ?? Number(word);
}

function sentencesOf(text: string): string[] {
  return text
    .split(/\n\s*\n|(?<=[.!?])\s+(?=[\p{Lu}\d"“(\[])/u)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

/**
 * The candidates of a prompt. Lists of numbered sources (`[2] Title` then `- finding` lines)
 * give one candidate per finding, cited `[2]`; other text is split into sentences, leaving
 * out instruction lines such as "Summarise the findings ..." and headings ending in ':'.
 */
function candidatesOf(prompt: string): Candidate[] {
  const out: Candidate[] = [];
  const push = (text: string, source: number | undefined) => {
    const clean = text.replace(/^[-*•]\s+/, '').trim();
    if (clean.length < 12) return;
    out.push({ text: clean, source, position: out.length, terms: new Set(termsOf(clean)) });
  };
  let source: number | undefined;
  let prose: string[] = [];
  const flush = () => {
    for (const s of sentencesOf(prose.join('\n'))) push(s, undefined);
    prose = [];
  };
  for (const line of prompt.split('\n')) {
    const trimmed = line.trim();
    const heading = /^\[(\d+)\]\s+\S/.exec(trimmed);
    if (heading) {
      flush();
      source = Number(heading[1]);
      continue;
    }
    if (source !== undefined && /^[-*•]\s+/.test(trimmed)) {
      push(trimmed, source);
      continue;
    }
    if (trimmed === '') {
      source = undefined;
      prose.push('');
      continue;
    }
    if (/^(topic|findings|sources|text)\s*:/i.test(trimmed) && trimmed.length < 80) continue;
    if (/^(please\s+)?(summari[sz]e|write|give|list|answer)\b/i.test(trimmed) && trimmed.length < 200) continue;
    if (trimmed.endsWith(':') && trimmed.length < 80) continue;
    source = undefined;
    prose.push(trimmed);
  }
  flush();
  return out;
}

/** Words that, opening a sentence, point back to the sentence before it. */
const DANGLING = /^(it|its|this|these|those|they|their|them|he|she|his|her|such|that|both|the latter|the former)\b/i;

/** True when the sentence cannot stand alone: it opens by pointing back at the one before. */
export function leansOnPrevious(sentence: string): boolean {
  return DANGLING.test(sentence.replace(/^[-*•"“(]\s*/, ''));
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / Math.min(a.size, b.size);
}

export interface SummaryOptions {
  /** Sentences wanted; default: what the prompt asks, else 3. */
  sentences?: number;
  /** Upper bound in tokens (about 0.75 words each). */
  maxTokens?: number;
}

/** Summarise `prompt` extractively. Returns '' when there is nothing to summarise. */
export function summariseText(prompt: string, options: SummaryOptions = {}): string {
  const candidates = candidatesOf(prompt);
  if (candidates.length === 0) return '';
  const wanted = Math.max(1, options.sentences ?? requestedSentences(prompt) ?? 3);
  const topic = /^\s*topic\s*:\s*(.+)$/im.exec(prompt)?.[1];
  const topicTerms = new Set(topic ? termsOf(topic) : []);
  const frequency = new Map<string, number>();
  for (const c of candidates) for (const t of c.terms) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const score = (c: Candidate) => {
    let s = 0;
    for (const t of c.terms) s += (frequency.get(t) ?? 0) + (topicTerms.has(t) ? 3 : 0);
    return s / Math.sqrt(Math.max(c.terms.size, 4)) - c.position * 0.01;
  };
  // On topic only: with a topic, a prose sentence must mention it (unless none does). Numbered
  // findings were already picked for the topic by whoever listed them.
  /** The sentence a leaning one needs: the one just before it, from the same source. */
  const antecedent = (c: Candidate) => {
    const before = candidates[c.position - 1];
    return before && before.source === c.source && !leansOnPrevious(before.text) ? before : undefined;
  };
  const mentions = (c: Candidate) => [...c.terms].some((t) => topicTerms.has(t));
  // A leaning sentence is about what its antecedent is about ("Tokyo trains ... They are crowded").
  const about = (c: Candidate) => c.source !== undefined || mentions(c) || (leansOnPrevious(c.text) && antecedent(c) !== undefined && mentions(antecedent(c)!));
  const onTopic = topicTerms.size === 0 ? candidates : candidates.filter(about);
  const pool = onTopic.length > 0 ? onTopic : candidates;
  const ranked = [...pool].sort((a, b) => score(b) - score(a));
  const picked: Candidate[] = [];
  const usedSources = new Map<number, number>();
  const take = (c: Candidate) => {
    picked.push(c);
    if (c.source !== undefined) usedSources.set(c.source, (usedSources.get(c.source) ?? 0) + 1);
  };
  // First pass prefers sources not used yet, so the summary spreads its citations.
  for (const pass of [0, 1]) {
    for (const c of ranked) {
      if (picked.length >= wanted) break;
      if (picked.includes(c) || picked.some((p) => overlap(p.terms, c.terms) > 0.6)) continue;
      if (pass === 0 && c.source !== undefined && (usedSources.get(c.source) ?? 0) > 0) continue;
      if (leansOnPrevious(c.text)) {
        // Never alone: with its antecedent when there is room for both, else not at all.
        const before = antecedent(c);
        if (!before || (!picked.includes(before) && picked.length + 2 > wanted)) continue;
        if (!picked.includes(before)) take(before);
      }
      take(c);
    }
  }
  picked.sort((a, b) => a.position - b.position);
  const maxWords = options.maxTokens === undefined ? Infinity : Math.max(8, Math.floor(options.maxTokens * 0.75));
  const out: string[] = [];
  let words = 0;
  for (const c of picked) {
    let sentence = /[.!?]["”)]?$/.test(c.text) ? c.text : `${c.text}.`;
    if (c.source !== undefined && !sentence.includes(`[${c.source}]`)) sentence = sentence.replace(/([.!?]["”)]?)$/, ` [${c.source}]$1`);
    const count = sentence.split(/\s+/).length;
    if (words + count > maxWords) {
      if (out.length === 0) out.push(`${sentence.split(/\s+/).slice(0, maxWords).join(' ')}…`);
      break;
    }
    out.push(sentence);
    words += count;
  }
  return out.join(' ');
}
