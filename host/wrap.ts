/**
 * Word wrap for what the host prints on a terminal. A line wider than the screen used to be
 * left to the terminal, which breaks it at the last column, mid-word ("heat p" / "umps"), and
 * puts the rest at the left edge, under other calls' lines. Here it is broken at spaces, and
 * its continuation rows are indented: under the text of a quoted message (`│ `), under the
 * second column of an indented two-column line (help, tool lists), else two spaces in from
 * the line's own indent.
 */

/** An ANSI control sequence (colours): no width on screen. */
const CONTROL = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Cells a code point takes: 0 for joiners and marks, 2 for wide (emoji, CJK), else 1. */
function cells(cp: number): number {
  if (cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x300 && cp <= 0x36f)) return 0;
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
    || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)) return 2;
  return 1;
}

/** Columns `text` takes on a terminal, colours not counted. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(CONTROL, '')) width += cells(ch.codePointAt(0)!);
  return width;
}

/** Where plain index `at` (colours not counted) falls in `line`. */
function indexIn(line: string, at: number): number {
  let plain = 0;
  let i = 0;
  while (i < line.length && plain < at) {
    const control = /^\x1b\[[0-9;?]*[A-Za-z]/.exec(line.slice(i));
    if (control) i += control[0].length;
    else {
      i++;
      plain++;
    }
  }
  return i;
}

/** What each continuation row of `line` starts with (see the module comment). */
function hangingIndent(plain: string, columns: number): string {
  const lead = /^ */.exec(plain)![0];
  const quoted = /^ *│ +/.exec(plain)?.[0];
  const column = twoColumns(plain);
  // An indented line (a table's continuation, a quoted message's body) keeps its indent; a
  // line at the margin or nearly is a paragraph: its rows go two spaces further in.
  const own = lead.length >= 4 ? lead : `${lead}  `;
  const candidates = [quoted, column !== undefined ? ' '.repeat(displayWidth(column)) : undefined, own];
  return candidates.find((c) => c !== undefined && displayWidth(c) <= columns / 2) ?? '';
}

/** An indented line's first column and the spaces after it (help, the tool list), if it has two. */
function twoColumns(plain: string): string | undefined {
  return /^ +\S(?:.*?\S)? {2,}(?=\S)/.exec(plain)?.[0];
}

/** Break one word wider than `room` into pieces that fit (colours kept whole). */
function splitWord(word: string, room: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let width = 0;
  for (const token of word.split(/(\x1b\[[0-9;?]*[A-Za-z])/)) {
    if (token.startsWith('\x1b[')) {
      piece += token;
      continue;
    }
    for (const ch of token) {
      const w = cells(ch.codePointAt(0)!);
      if (width + w > room && width > 0) {
        pieces.push(piece);
        piece = '';
        width = 0;
      }
      piece += ch;
      width += w;
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** `line` as rows of at most `columns` cells, broken at spaces. */
export function wrapLine(line: string, columns: number): string[] {
  if (columns < 2 || displayWidth(line) <= columns) return [line];
  const plain = line.replace(CONTROL, '');
  const lead = /^ */.exec(plain)![0].length;
  const column = twoColumns(plain);
  // Too narrow for two columns: the first column on a row of its own, the second under it.
  if (column !== undefined && displayWidth(column) > columns / 2) {
    const first = column.trimEnd().length;
    return [...wrapLine(line.slice(0, indexIn(line, first)), columns), ...wrapLine(`    ${line.slice(indexIn(line, column.length))}`, columns)];
  }
  // Too narrow for the indent: a deep one becomes four spaces.
  if (lead > columns / 2) return wrapLine(`    ${line.slice(indexIn(line, lead))}`, columns);
  const indent = hangingIndent(plain, columns);
  const rows: string[] = [];
  let row = '';
  let width = 0;
  // Words and the runs of spaces between them; a run where the line breaks is dropped.
  for (const part of line.split(/( +)/)) {
    if (part === '') continue;
    const w = displayWidth(part);
    if (part.startsWith(' ') && !part.includes('\x1b')) {
      if (width + w < columns) {
        row += part;
        width += w;
      } else {
        rows.push(row);
        row = indent;
        width = displayWidth(indent);
      }
      continue;
    }
    if (width + w > columns && width > displayWidth(indent)) {
      rows.push(row.trimEnd());
      row = indent;
      width = displayWidth(indent);
    }
    if (width + w <= columns) {
      row += part;
      width += w;
      continue;
    }
    // A word that fits a row, but not after the indent (a link on a narrow screen): its row
    // goes less far in, where cutting it would make a copied link wrong.
    if (w <= columns && /^ *$/.test(indent)) {
      if (width > displayWidth(indent)) rows.push(row.trimEnd());
      row = ' '.repeat(columns - w) + part;
      width = columns;
      continue;
    }
    const pieces = splitWord(part, columns - width);
    // The first piece fills this row; the others start rows of their own.
    row += pieces[0] ?? '';
    for (const piece of splitWord(pieces.slice(1).join(''), columns - displayWidth(indent))) {
      rows.push(row);
      row = indent + piece;
    }
    width = displayWidth(row);
  }
  rows.push(row);
  return rows.map((r) => r.trimEnd());
}

/** Every line of `text` wrapped to `columns`. */
export function wrapText(text: string, columns: number): string[] {
  return text.split('\n').flatMap((line) => wrapLine(line, columns));
}
