// The corpus: loading with limits, BM25 ranking, findings and the extractive summary.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractiveSummary, findings, indexCorpus, loadCorpus, sentences, terms, unmatchedWords } from './corpus.ts';
import { bundledDataDir } from './index.ts';

const load = suite('corpus: loading');

load('the bundled corpus: eight documents with titles from their headings, each a few KB', async () => {
  const c = await loadCorpus(join(bundledDataDir(), 'corpus'), 'bundled');
  assert.is(c.documents.length, 62);
  assert.ok(c.documents.every((d) => d.title.length > 10 && d.text.length > 900 && d.text.length < 4000 && d.mimeType === 'text/markdown'));
  assert.ok(c.documents.some((d) => d.id === 'battery-storage' && d.title === 'Grid batteries and the chemistry behind them'));
});

load('a folder: .md/.markdown/.txt in path order, hidden folders skipped, ids unique, limits honoured', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-corpus-'));
  try {
    await mkdir(join(dir, '.git'));
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, '.git', 'x.md'), '# hidden');
    await writeFile(join(dir, 'a', 'B c.md'), '# Title B\r\n\r\nBody.');
    await writeFile(join(dir, 'a-b-c.txt'), 'plain text');
    await writeFile(join(dir, 'big.md'), 'x'.repeat(2000));
    await writeFile(join(dir, 'photo.png'), 'not text');
    const c = await loadCorpus(dir, 'mine', { maxFileBytes: 1000 });
    assert.equal(c.documents.map((d) => [d.id, d.title, d.path, d.mimeType]), [
      ['a-b-c', 'a-b-c', 'a-b-c.txt', 'text/plain'],
      ['a-b-c-2', 'Title B', 'a/B c.md', 'text/markdown'],
    ]);
    assert.is(c.documents[1]!.text, '# Title B\n\nBody.');
    assert.is((await loadCorpus(dir, 'mine', { maxFiles: 1 })).documents.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

load.run();

const rank = suite('corpus: ranking and reading');

rank('terms drop stop words and meet across plurals', () => {
  assert.equal(terms('The Batteries of a battery'), ['battery', 'battery']);
  assert.equal(terms('Heat pumps, heating!'), ['heat', 'pump', 'heat']);
});

rank('BM25 puts the document about the topic first; nothing matching gives nothing', async () => {
  const ix = indexCorpus(await loadCorpus(join(bundledDataDir(), 'corpus'), 'bundled'));
  assert.is(ix.rank('grid battery storage')[0]!.document.id, 'battery-storage');
  assert.is(ix.rank('heat pumps in winter')[0]!.document.id, 'heat-pumps');
  assert.is(ix.rank('retrieval citations')[0]!.document.id, 'retrieval-augmented-generation');
  assert.equal(ix.rank('origami falconry'), []);
  const scores = ix.rank('AI energy').map((r) => r.score);
  assert.equal(scores, [...scores].sort((a, b) => b - a));
});

rank('the words of a topic that no document has are named, as written', async () => {
  const ix = indexCorpus(await loadCorpus(join(bundledDataDir(), 'corpus'), 'bundled'));
  assert.equal(unmatchedWords(ix, 'MCP transports for the origami'), ['MCP', 'origami']);
  assert.equal(unmatchedWords(ix, 'grid battery storage'), []);
});

rank('sentences split on sentence ends, not on abbreviations of numbers, and skip headings', () => {
  assert.equal(sentences('# T\n\nOne is 1.5 big. Two here!\nStill two? Three.'), ['One is 1.5 big.', 'Two here!', 'Still two?', 'Three.']);
});

rank('findings are the best-matching sentences in document order; the summary cites each', async () => {
  const ix = indexCorpus(await loadCorpus(join(bundledDataDir(), 'corpus'), 'bundled'));
  const [first, second] = ix.rank('battery recycling');
  const f1 = findings(ix, first!.document, 'battery recycling', 2);
  assert.is(f1.length, 2);
  assert.ok(f1[0]!.index < f1[1]!.index);
  assert.ok(f1.some((f) => /[Rr]ecycling/.test(f.text)));
  const f2 = findings(ix, second!.document, 'battery recycling', 2);
  const summary = extractiveSummary([...f1.map((f) => ({ ...f, source: 1 })), ...f2.map((f) => ({ ...f, source: 2 }))], 3);
  assert.match(summary, /\[1\]\./);
  assert.match(summary, /\[2\]\./);
  assert.is(summary.match(/\[\d\]/g)!.length, 3);
});

rank.run();
