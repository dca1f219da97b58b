/**
 * The research agent's library: a folder of markdown or text files (the bundled set, or
 * the user's own with `--corpus DIR`), ranked against a topic with BM25, and read for the
 * sentences that best match it. Everything is deterministic: the same corpus and topic give
 * the same sources, findings and extractive summary.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';

/** One document of the corpus, served as `agents://corpus/{id}`. */
export interface CorpusDocument {
  /** URI-safe, unique in the corpus. */
  id: string;
  title: string;
  /** Path relative to the corpus folder, with `/` separators. */
  path: string;
  mimeType: 'text/markdown' | 'text/plain';
  text: string;
}

/** A loaded corpus, documents in path order. */
export interface Corpus {
  /** "bundled" or the folder's name. */
  name: string;
  documents: CorpusDocument[];
}

/** Bounds on what {@link loadCorpus} reads. */
export interface CorpusLimits {
  /** Files read at most (in path order). Default 500. */
  maxFiles?: number;
  /** Larger files are skipped. Default 1 MiB. */
  maxFileBytes?: number;
  /** Reading stops past this many bytes in all. Default 32 MiB. */
  maxTotalBytes?: number;
}

const EXTENSIONS = new Map<string, CorpusDocument['mimeType']>([['.md', 'text/markdown'], ['.markdown', 'text/markdown'], ['.txt', 'text/plain']]);

/** Read every .md, .markdown and .txt file under `dir` (hidden folders and node_modules skipped). */
export async function loadCorpus(dir: string, name: string, limits: CorpusLimits = {}): Promise<Corpus> {
  const maxFiles = limits.maxFiles ?? 500;
  const maxFileBytes = limits.maxFileBytes ?? 1024 * 1024;
  const maxTotalBytes = limits.maxTotalBytes ?? 32 * 1024 * 1024;
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new Error(`the corpus folder ${dir} does not exist`, { cause: error });
    throw new Error(`cannot read the corpus folder ${dir}: ${error.message}`, { cause: error });
  });
  if (!info.isDirectory()) throw new Error(`the corpus ${dir} is not a folder (give a folder of .md, .markdown or .txt files)`);
  const files: string[] = [];
  await walk(dir, files, maxFiles);
  files.sort();
  const documents: CorpusDocument[] = [];
  const ids = new Set<string>();
  let total = 0;
  for (const file of files) {
    const size = (await stat(file)).size;
    if (size > maxFileBytes) continue;
    if (total + size > maxTotalBytes) break;
    total += size;
    const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const path = relative(dir, file).split(sep).join('/');
    const stem = path.slice(0, path.length - extname(path).length);
    let id = slug(stem);
    for (let n = 2; ids.has(id); n++) id = `${slug(stem)}-${n}`;
    ids.add(id);
    const heading = /^#\s+(.+)$/m.exec(text)?.[1]?.trim();
    documents.push({ id, title: heading ?? basename(stem), path, mimeType: EXTENSIONS.get(extname(file).toLowerCase())!, text });
  }
  return { name, documents };
}

async function walk(dir: string, out: string[], max: number): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (out.length >= max) return;
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out, max);
    else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
  }
}

function slug(text: string): string {
  const s = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return s === '' ? 'document' : s;
}

const STOPWORDS = new Set((
  'a an and are as at be been being but by can could did do does for from had has have how i if in into is it its '
  + 'may more most much no not of on or our over so such than that the their them then there these they this those '
  + 'to too under up us was we were what when where which while who why will with would you your about after all also '
  + 'any each few many other own same some very just now new use used using one two'
).split(' '));

/** Lower-case word stems without stop words: "Batteries" and "battery" meet. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** A document that matched a topic, with its score. */
export interface RankedSource {
  document: CorpusDocument;
  /** BM25 score, rounded to two decimals. */
  score: number;
}

/** A corpus ready for ranking: document term counts and each term's inverse document frequency. */
export interface CorpusIndex {
  readonly corpus: Corpus;
  /** Documents that match `topic` at all, best first (ties by id). */
  rank(topic: string): RankedSource[];
  /** Inverse document frequency of a term (0 for a term no document has). */
  idf(term: string): number;
}

/** Index `corpus` for BM25 (k1 1.2, b 0.75). */
export function indexCorpus(corpus: Corpus): CorpusIndex {
  const k1 = 1.2;
  const b = 0.75;
  const counts = corpus.documents.map((d) => {
    // The title counts twice: a document named for the topic is about it.
    const words = [...terms(d.title), ...terms(d.title), ...terms(d.text)];
    const tf = new Map<string, number>();
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    return { tf, length: words.length };
  });
  const df = new Map<string, number>();
  for (const c of counts) for (const t of c.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = corpus.documents.length;
  const avgLength = counts.reduce((s, c) => s + c.length, 0) / Math.max(1, n);
  const idf = (t: string) => {
    const d = df.get(t) ?? 0;
    return d === 0 ? 0 : Math.log(1 + (n - d + 0.5) / (d + 0.5));
  };
  return {
    corpus,
    idf,
    rank(topic) {
      const query = [...new Set(terms(topic))];
      const ranked: RankedSource[] = [];
      corpus.documents.forEach((document, i) => {
        const c = counts[i]!;
        let score = 0;
        for (const t of query) {
          const f = c.tf.get(t) ?? 0;
          if (f > 0) score += idf(t) * (f * (k1 + 1)) / (f + k1 * (1 - b + b * c.length / avgLength));
        }
        if (score > 0) ranked.push({ document, score: Math.round(score * 100) / 100 });
      });
      return ranked.sort((x, y) => y.score - x.score || (x.document.id < y.document.id ? -1 : 1));
    },
  };
}

/**
 * The words of `topic` (as written, stop words aside) that no document has: a ranking that
 * matched only the rest of the topic should say so, or "mcp transports" reads as if documents
 * about shipping were about MCP.
 */
export function unmatchedWords(index: CorpusIndex, topic: string): string[] {
  const out: string[] = [];
  for (const word of topic.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const [term] = terms(word);
    if (term !== undefined && index.idf(term) === 0 && !out.includes(word)) out.push(word);
  }
  return out;
}

/** Sentences of a document's body (headings dropped), in order. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const para = block.split('\n').filter((line) => !/^\s*#/.test(line)).join(' ').replace(/\s+/g, ' ').trim();
    if (para === '') continue;
    for (const s of para.split(/(?<=[.!?])\s+(?=["“(]?[A-Z0-9])/)) if (s.trim().length > 0) out.push(s.trim());
  }
  return out;
}

/** A sentence of a document that matches the topic. */
export interface Finding {
  /** Position in the document, from 0. */
  index: number;
  text: string;
  score: number;
}

/** True when a sentence opens by pointing back at the one before ("It ...", "These ..."): quoted alone it says nothing. */
export function leansOnPrevious(sentence: string): boolean {
  return /^["“(]?(it|its|this|these|those|they|their|them|he|she|his|her|such|that|both)\b/i.test(sentence);
}

/**
 * The `count` sentences of `document` that best match `topic`: each distinct topic term a
 * sentence holds adds its idf. Sentences that lean on the one before them are left out, since
 * a finding is quoted alone. Returned in document order. A document that matched only on its
 * title gives its first sentence.
 */
export function findings(index: CorpusIndex, document: CorpusDocument, topic: string, count: number): Finding[] {
  const query = new Set(terms(topic));
  const scored = sentences(document.text).map((text, i) => {
    let score = 0;
    if (!leansOnPrevious(text)) for (const t of new Set(terms(text))) if (query.has(t)) score += index.idf(t);
    return { index: i, text, score: Math.round(score * 100) / 100 };
  });
  // Ties go to the fuller sentence (up to 200 characters), then the earlier one.
  const fuller = (x: Finding) => Math.min(x.text.length, 200);
  const best = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || fuller(b) - fuller(a) || a.index - b.index).slice(0, count);
  if (best.length === 0 && scored[0]) best.push(scored[0]);
  return best.sort((a, b) => a.index - b.index);
}

/** One finding with the number of the source it came from (1-based, in rank order). */
export interface CitedFinding extends Finding {
  source: number;
}

/**
 * An extractive summary: each source's best finding first (in score order), then each one's
 * second best, and so on, skipping any sentence that mostly repeats one already chosen;
 * each ends with its citation `[n]`. Sentences keep source order in the text.
 */
export function extractiveSummary(all: CitedFinding[], maxSentences: number): string {
  const rankInSource = new Map<CitedFinding, number>();
  for (const source of new Set(all.map((f) => f.source))) {
    all.filter((f) => f.source === source).sort((a, b) => b.score - a.score || a.index - b.index).forEach((f, i) => rankInSource.set(f, i));
  }
  const ordered = [...all].sort((a, b) => rankInSource.get(a)! - rankInSource.get(b)! || b.score - a.score || a.source - b.source);
  const chosen: CitedFinding[] = [];
  for (const f of ordered) {
    if (chosen.length >= maxSentences) break;
    const words = new Set(terms(f.text));
    if (chosen.some((c) => overlap(words, new Set(terms(c.text))) > 0.5)) continue;
    chosen.push(f);
  }
  chosen.sort((a, b) => a.source - b.source || a.index - b.index);
  return chosen.map((f) => `${f.text.replace(/[.!?]?$/, '')} [${f.source}].`).join(' ');
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.max(1, Math.min(a.size, b.size));
}
