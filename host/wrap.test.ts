import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { displayWidth, wrapLine, wrapText } from './wrap.ts';
import { createTerminal } from './terminal.ts';
import { HELP } from './commands.ts';

const wrap = suite('wrap: long lines broken at words, continuations indented');

wrap('a line that fits is left alone; a long one breaks at spaces, its rows two spaces in', () => {
  assert.equal(wrapLine('short line', 20), ['short line']);
  const rows = wrapLine('Try: travel_agent destination=Lisbon travellers=2 · research_agent urban heat', 40);
  assert.equal(rows, ['Try: travel_agent destination=Lisbon', '  travellers=2 · research_agent urban', '  heat']);
});

wrap('no row is wider than the screen, and no word is cut unless it is wider than a row', () => {
  const text = `${HELP}\n  ↗ agents://bookings/${'b'.repeat(90)}  Booking X58PYV\n🧠 #1 travel_agent asks the model: ${'word '.repeat(40)}`;
  for (const columns of [40, 79, 119]) {
    const rows = wrapText(text, columns);
    for (const row of rows) assert.ok(displayWidth(row) <= columns, `${columns}: "${row}" is ${displayWidth(row)} wide`);
    const words = (s: string) => s.split(/\s+/).filter((w) => w.length > 0 && w.length < columns - 8);
    const kept = new Set(words(rows.join(' ')));
    for (const word of words(text)) assert.ok(kept.has(word), `${columns}: "${word}" was cut`);
  }
});

wrap('a word that fits a row but not after the indent goes less far in instead of being cut', () => {
  // 45 columns (44 for text): the booking's link was cut before its last character, which
  // stood alone on the next row, and a copied link was wrong (hostwalk10, session 28).
  const uri = 'agents://bookings/bk-2999cc12e382d643f93a';
  assert.equal(wrapLine(`  #7 travel_agent · info: follow the booking at ${uri}`, 44),
    ['  #7 travel_agent · info: follow the booking', '    at', `   ${uri}`]);
  // Wider than a row: cut, as before.
  assert.equal(wrapLine(`  see ${'x'.repeat(50)}`, 44).length, 3);
});

wrap('a quoted message continues behind its bar; a two-column line under its second column', () => {
  assert.equal(wrapLine('  │ Book this trip? London → Tokyo, 4 nights, 3 travellers.', 40),
    ['  │ Book this trip? London → Tokyo, 4', '  │ nights, 3 travellers.']);
  assert.equal(wrapLine('  travel_agent     Travel agent  (destination*, origin, dates, travellers)', 50),
    ['  travel_agent     Travel agent  (destination*,', '                   origin, dates, travellers)']);
  // Too narrow for the columns: the first on its own row, the second indented under it.
  assert.equal(wrapLine('  list | l                      the tools of every server', 40),
    ['  list | l', '    the tools of every server']);
});

wrap('colours count no width and survive the break; wide characters count two', () => {
  const green = `\x1b[32m✓ Connected to mcpwire-agents 0.1.0 at http://127.0.0.1:37669/mcp\x1b[39m`;
  const rows = wrapLine(green, 40);
  assert.equal(rows.length, 2);
  assert.ok(rows[0]!.startsWith('\x1b[32m✓'));
  assert.ok(rows[1]!.endsWith('\x1b[39m'));
  assert.is(displayWidth('🧠 ab'), 5);
});

wrap('on a terminal that says its width, printed lines are wrapped to it', async () => {
  const input = new PassThrough();
  const output = Object.assign(new PassThrough(), { columns: 40, rows: 20, isTTY: true });
  let text = '';
  output.setEncoding('utf8').on('data', (d: string) => { text += d; });
  const t = createTerminal({ input, output, tty: true, color: false });
  t.start({ onLine: () => {}, onInterrupt: () => {}, onEnd: () => {} });
  t.print('Try: travel_agent destination=Lisbon travellers=2 · research_agent urban heat · plan a trip to Tokyo');
  t.close();
  const plain = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  assert.match(plain, /Try: travel_agent destination=Lisbon\n  travellers=2 · research_agent urban\n  heat · plan a trip to Tokyo\n/);
});

wrap.run();
