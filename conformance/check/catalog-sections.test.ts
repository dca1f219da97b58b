// Every rule of `mcpwire check` names, in its section, pages that exist in the revision it
// cites: a finding sends its reader to that page (2026-07-28 moved several: basic/patterns/mrtr,
// server/discover, no basic/lifecycle).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RULE_CATALOG } from './catalog.ts';
import { SPEC_REVISIONS, specPageExists } from '../spec-pages.ts';

const test = suite('check: the catalog cites existing spec pages');

const REVISION = new RegExp(`(${SPEC_REVISIONS.join('|')})`, 'g');
const PAGE = /(?<![\w/.-])((?:basic|server|client)(?:\/[a-z_-]+)+)/g;

/** The pages a section names, each with the revision last named before it. */
function pagesOf(section: string): Array<{ revision: string; page: string }> {
  const out: Array<{ revision: string; page: string }> = [];
  const marks = [...section.matchAll(REVISION)].map((m) => ({ at: m.index!, revision: m[1]! }));
  for (const m of section.matchAll(PAGE)) {
    const before = marks.filter((x) => x.at < m.index!).at(-1);
    if (before) out.push({ revision: before.revision, page: m[1]!.replace(/\/index$/, '') });
  }
  return out;
}

test('each page a rule cites exists in the revision cited before it', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const [id, rule] of Object.entries(RULE_CATALOG)) {
    for (const { revision, page } of pagesOf(rule.section)) {
      checked++;
      if (!specPageExists(revision, page)) wrong.push(`${id}: ${revision} ${page}`);
    }
  }
  assert.ok(checked > 50, `pages checked: ${checked}`);
  assert.equal(wrong, []);
});

test('the parser finds pages after their revision, and only those', () => {
  assert.equal(pagesOf('2025-11-25 basic/transports: stdio; 2026-07-28 basic/patterns/mrtr: client (tools/call)'), [
    { revision: '2025-11-25', page: 'basic/transports' }, { revision: '2026-07-28', page: 'basic/patterns/mrtr' },
  ]);
  assert.equal(pagesOf('2026-07-28 basic/index: resultType'), [{ revision: '2026-07-28', page: 'basic' }]);
});

test.run();
