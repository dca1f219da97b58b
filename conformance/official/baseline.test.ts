import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { judge, parseBaseline, type ScenarioResult } from './baseline.ts';
import { parseRequirementList, parseScenarioList } from './suite.ts';

const parse = suite('official baseline: parsing');

parse('an empty list, comments and entries with their reasons', () => {
  assert.equal(parseBaseline('# nothing expected\nserver: []\n'), { server: [], client: [] });
  const b = parseBaseline([
    '# header',
    'server:',
    '  - ping  # the reason',
    '  # a reason on the line above',
    '  - tools-list:tools-name-format',
    'client:',
    '  - sse-retry # why',
  ].join('\n'));
  assert.equal(b.server.map((e) => [e.scenario, e.checkId]), [['ping', undefined], ['tools-list', 'tools-name-format']]);
  assert.equal(b.client.map((e) => e.text), ['sse-retry']);
  assert.is(parseBaseline('server:\n  - json-schema-2020-12:json-schema-2020-12-$schema  # x\n').server[0]!.checkId, 'json-schema-2020-12-$schema');
});

parse('an entry without a reason, a spaced check id or stray text is refused with its line', () => {
  assert.throws(() => parseBaseline('server:\n  - ping\n', 'b.yml'), /b\.yml:2: entry ping needs a comment/);
  assert.throws(() => parseBaseline('server:\n  - ping: check  # why\n'), /:2: expected/);
  assert.throws(() => parseBaseline('  - ping  # no key\n'), /:1: expected/);
  assert.throws(() => parseBaseline('servers:\n'), /:1: expected/);
});

const judging = suite('official baseline: judging a run');

const result = (scenario: string, ...statuses: Array<[string, string]>): ScenarioResult => ({
  scenario, checks: statuses.map(([id, status]) => ({ id, status })),
});

judging('failures and warnings not covered are regressions; covered ones are expected; passing entries are stale', () => {
  const results = [
    result('a', ['a-1', 'SUCCESS'], ['a-2', 'WARNING']),
    result('b', ['b-1', 'FAILURE'], ['b-2', 'FAILURE']),
    result('c', ['c-1', 'SUCCESS'], ['c-2', 'INFO']),
    result('d', ['d-1', 'FAILURE']),
  ];
  const entries = parseBaseline([
    'server:',
    '  - b  # whole scenario',
    '  - c  # stale: passes',
    '  - d:d-1  # one check',
    '  - d:d-9  # stale: never fails',
    '  - gone  # stale: did not run',
  ].join('\n')).server;
  const v = judge(results, entries);
  assert.equal(v.regressions, ['a:a-2']);
  assert.equal(v.expected, ['b:b-1', 'b:b-2', 'd:d-1']);
  assert.equal(v.stale, ['c', 'd:d-9', 'gone (scenario did not run)']);
});

judging('an all-green run against an empty baseline is clean', () => {
  assert.equal(judge([result('a', ['x', 'SUCCESS'], ['y', 'INFO'])], []), { regressions: [], stale: [], expected: [] });
});

const listing = suite('official suite: requirement lists');

listing('scored and not-scored scenarios of one leg', () => {
  const text = [
    'Required for 2025-11-25 (48 scenarios, frozen; run at the 2025-11-25 wire):',
    '',
    'Server scenarios (test against a server):',
    '  - server-initialize',
    '  - ping',
    '',
    'Client scenarios (test against a client):',
    '  - initialize',
    '',
    'Run and reported, but never scored:',
    '  extension (1):',
    '    - auth/dpop [client]',
    '  pending (2):',
    '    - json-schema-2020-12 [server]',
    '    - server-sse-polling [server]',
  ].join('\n');
  assert.equal(parseRequirementList(text, 'server'), { scored: ['server-initialize', 'ping'], notScored: ['json-schema-2020-12', 'server-sse-polling'] });
  assert.equal(parseRequirementList(text, 'client'), { scored: ['initialize'], notScored: ['auth/dpop'] });
});

listing('a --spec-version listing: every scenario of the leg, with its revisions cut off', () => {
  const text = [
    'Server scenarios (test against a server):',
    '  - server-initialize [2025-06-18,2025-11-25]',
    '  - server-session-lifecycle [2025-03-26,2025-06-18,2025-11-25]',
    '',
    'Client scenarios (test against a client):',
    '  - auth/2025-03-26-oauth-metadata-backcompat [2025-03-26]',
  ].join('\n');
  assert.equal(parseScenarioList(text, 'server'), { scored: ['server-initialize', 'server-session-lifecycle'], notScored: [] });
  assert.equal(parseScenarioList(text, 'client'), { scored: ['auth/2025-03-26-oauth-metadata-backcompat'], notScored: [] });
  // A requirements listing is still read as one, not-scored part included.
  const required = ['Required for 2025-11-25 (1 scenario):', '', 'Server scenarios (test against a server):', '  - ping', '',
    'Run and reported, but never scored:', '  pending (1):', '    - server-sse-polling [server]'].join('\n');
  assert.equal(parseScenarioList(required, 'server'), { scored: ['ping'], notScored: ['server-sse-polling'] });
});

parse.run();
judging.run();
listing.run();
