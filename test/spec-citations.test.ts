// Every spec citation of the form "<revision> <page>" (e.g. "2025-11-25 basic/utilities/progress")
// in the sources and the README names a page that exists in that revision. The revisions
// moved pages (2026-07-28 has basic/patterns/mrtr, no basic/lifecycle), and a citation to a
// page that does not exist sends a reader nowhere. The pages of each revision are those
// conformance/spec-pages.ts lists (the tracer cites from the same list).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specPageExists } from '../conformance/spec-pages.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const FOLDERS = ['protocol', 'transport', 'server', 'client', 'conformance', 'host', 'examples', 'bench', 'bin', 'test'];
const SKIP = new Set(['node_modules', 'dist', '.git', '.cache', 'results']);

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(relative(root, path));
    }
  };
  for (const folder of FOLDERS) walk(join(root, folder));
  return [...out.filter((f) => f !== 'test/spec-citations.test.ts'), 'README.md'];
}

const REVISION = '(2024-11-05|2025-03-26|2025-06-18|2025-11-25|2026-07-28)';
// A revision (or "R1 and R2"), then a page path; a bare "server" or "client" is prose ("a
// 2026-07-28 client"), and a path cut by a line break ("basic/utilities/") or naming a file
// ("server/tools.ts") is no page citation.
const CITATION = new RegExp(`${REVISION}(?: and ${REVISION})? ((?:basic|server|client)(?:/[a-z_-]+)+|changelog|schema|deprecated)(?![\\w/.-])`, 'g');

interface Citation { file: string; line: number; revision: string; page: string }

function citations(): Citation[] {
  const found: Citation[] = [];
  for (const file of sourceFiles()) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(CITATION)) {
        const page = m[3]!.replace(/\/index$/, '');
        for (const revision of [m[1]!, m[2]].filter((r): r is string => r !== undefined)) found.push({ file, line: i + 1, revision, page });
      }
    });
  }
  return found;
}

const specCitations = suite('spec citations name pages that exist');

specCitations('every "<revision> <page>" citation names a page of that revision', () => {
  const all = citations();
  assert.ok(all.length > 300, `found only ${all.length} citations: is the pattern still right?`);
  const wrong = all.filter((c) => !specPageExists(c.revision, c.page));
  assert.equal(wrong.map((c) => `${c.file}:${c.line}: ${c.revision} has no page ${c.page}`), []);
});

specCitations.run();
