// The model-request pager: pages of at most pageLines lines and, on a terminal, no more rows
// than fit on the screen (on a 40-column terminal 20 long lines filled over 40 rows and the
// start of the request scrolled away before the approval question).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FormIO } from './forms.ts';
import { showPaged } from './pager.ts';

/** A FormIO that records pages and answers each question with the next of `answers`. */
function recorder(answers: string[], screen?: { columns: number; rows: number }) {
  const pages: string[][] = [];
  const io: FormIO = {
    print: (text) => pages.push(text.split('\n')),
    ask: async () => answers.shift(),
    ...(screen ? { screen } : {}),
  };
  return { io, pages };
}

const test = suite('showPaged');
const numbered = (n: number, width = 10) => Array.from({ length: n }, (_, i) => `${i + 1}`.padEnd(width, '.'));

test('its question ends with a space, as every other question does: a typed answer ran into its "--"', async () => {
  const asked: string[] = [];
  const io: FormIO = { print: () => undefined, ask: async (prompt) => { asked.push(prompt); return 'a'; } };
  assert.is(await showPaged(io, numbered(25), { pageLines: 10, all: false }), true);
  assert.is(asked.length, 1);
  assert.match(asked[0]!, /refuses -- $/);
});

test('without a screen: pages of pageLines lines, every line once', async () => {
  const { io, pages } = recorder(['', '']);
  assert.is(await showPaged(io, numbered(25), { pageLines: 10, all: false }), true);
  assert.equal(pages.map((p) => p.length), [10, 10, 5]);
  assert.equal(pages.flat(), numbered(25));
});

test('on a 40x24 screen, 80-column lines take two rows each: a page fits the screen', async () => {
  const lines = numbered(30, 80);
  const { io, pages } = recorder(['', '', '', ''], { columns: 40, rows: 24 });
  assert.is(await showPaged(io, lines, { pageLines: 20, all: false }), true);
  for (const page of pages) assert.ok(page.length * 2 <= 24 - 2, `a page of ${page.length} two-row lines overflows 22 rows`);
  assert.equal(pages.flat(), lines, 'every line shown once, in order');
});

test('a line longer than the whole screen still gets its own page', async () => {
  const lines = ['short', 'x'.repeat(2_000), 'end'];
  const { io, pages } = recorder(['', ''], { columns: 40, rows: 10 });
  assert.is(await showPaged(io, lines, { pageLines: 20, all: false }), true);
  assert.equal(pages.flat(), lines);
  assert.ok(pages.length >= 2);
});

test('short text that fits is shown at once, with no question', async () => {
  const { io, pages } = recorder([], { columns: 40, rows: 24 });
  assert.is(await showPaged(io, ['a', 'b'], { pageLines: 20, all: false }), true);
  assert.equal(pages, [['a', 'b']]);
});

// hostwalk19's walk: a person meaning to approve typed y at the pager and got "press Enter, or
// type a or n", with no word that approving comes after the last page.
test('y at the pager says that approving comes after the last page, and asks again', async () => {
  const { io, pages } = recorder(['y', 'a']);
  assert.is(await showPaged(io, numbered(25), { pageLines: 10, all: false }), true);
  assert.equal(pages[1], ['  ✗ the approval is asked after the last page: press Enter for the next page, a for all of the rest, or n to refuse']);
  assert.equal(pages.slice(2).flat(), numbered(25).slice(10));
});

test('refusing on the first page stops there', async () => {
  const { io, pages } = recorder(['n'], { columns: 40, rows: 12 });
  assert.is(await showPaged(io, numbered(30, 60), { pageLines: 20, all: false }), false);
  assert.is(pages.length, 1);
});

test.run();
