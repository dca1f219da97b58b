// The skills extension (SEP-2640) served in the 2026-07-28 era: declared inline under
// capabilities.extensions, skills/list and skills/get with sha256 digests of the files'
// bytes, skill:// resources, resources/directory/read; skills that break the rules are
// refused at registration. Every message is checked against the 2026-07-28 schema.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { createServer } from '../server.ts';
import { Exchange, request } from '../../test/modern-kit.ts';
import { serveSkills, type SkillDefinition } from './skills.ts';
import { parseFrontmatter } from './frontmatter.ts';

const MANIFEST = '---\nname: trip-plan\ndescription: "Plan a trip: flights, hotels."\nmetadata:\n  author: mcpwire\n---\n# Trip planning\n';
const SKILL: SkillDefinition = { path: 'travel/trip-plan', files: { 'SKILL.md': MANIFEST, 'refs/cities.md': '# Cities\n', 'logo.png': new Uint8Array([137, 80, 78, 71]) } };
const sha = (data: string | Uint8Array) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * The result of an extension request: the core schema does not know extension methods, so
 * the request is sent as one it forbids (the answer is still checked as a result).
 */
async function ext(ex: Exchange, message: Record<string, unknown>): Promise<Record<string, any>> {
  const answer = await ex.send(message, undefined, true);
  assert.ok('result' in answer.message, JSON.stringify(answer.message));
  return (answer.message as { result: Record<string, any> }).result;
}

async function served(options = {}) {
  const server = createServer({ name: 'skills', version: '1' });
  await serveSkills(server, [SKILL], options);
  return new Exchange(server);
}

const Skills = suite('skills extension');

Skills('server/discover declares the extension inline, with directoryRead, and resources', async () => {
  const caps = (await (await served()).result(request('server/discover'))).capabilities;
  assert.equal(caps.extensions, { 'io.modelcontextprotocol/skills': { directoryRead: true } });
  assert.ok(caps.resources);
});

Skills('skills/list: the SKILL.md URI, the frontmatter as an object, every file once with its size and sha256', async () => {
  const list = await ext(await served(), request('skills/list'));
  assert.is(list.resultType, 'complete');
  assert.is(list.ttlMs, 0);
  assert.is(list.cacheScope, 'private');
  assert.equal(list.skills, [{
    uri: 'skill://travel/trip-plan/SKILL.md',
    frontmatter: { name: 'trip-plan', description: 'Plan a trip: flights, hotels.', metadata: { author: 'mcpwire' } },
    resources: [
      { uri: 'skill://travel/trip-plan/SKILL.md', digest: sha(MANIFEST), size: Buffer.byteLength(MANIFEST) },
      { uri: 'skill://travel/trip-plan/logo.png', digest: sha(new Uint8Array([137, 80, 78, 71])), size: 4 },
      { uri: 'skill://travel/trip-plan/refs/cities.md', digest: sha('# Cities\n'), size: 9 },
    ],
  }]);
});

Skills('skills/get returns the same entry without a cursor; an unknown URI is -32602 with data.uri', async () => {
  const ex = await served();
  const got = await ext(ex, request('skills/get', { uri: 'skill://travel/trip-plan/SKILL.md' }));
  assert.is(got.skill.frontmatter.name, 'trip-plan');
  assert.is(got.nextCursor, undefined);
  const missing = await ex.error(request('skills/get', { uri: 'skill://nope/SKILL.md' }), 200, true);
  assert.equal([missing.code, missing.data], [-32602, { uri: 'skill://nope/SKILL.md' }]);
});

Skills('the files are skill:// resources; SKILL.md is text/markdown named after the skill', async () => {
  const ex = await served();
  const listed = (await ex.result(request('resources/list'))).resources;
  assert.equal(listed[0], { uri: 'skill://travel/trip-plan/SKILL.md', name: 'trip-plan', mimeType: 'text/markdown', size: Buffer.byteLength(MANIFEST), description: 'Plan a trip: flights, hotels.' });
  const read = await ex.result(request('resources/read', { uri: 'skill://travel/trip-plan/SKILL.md' }));
  assert.is(read.contents[0].text, MANIFEST);
  const png = await ex.result(request('resources/read', { uri: 'skill://travel/trip-plan/logo.png' }));
  assert.is(png.contents[0].blob, Buffer.from([137, 80, 78, 71]).toString('base64'));
});

Skills('resources/directory/read lists direct children, subfolders as inode/directory; a file URI is -32602', async () => {
  const ex = await served();
  const root = await ext(ex, request('resources/directory/read', { uri: 'skill://travel/trip-plan' }));
  assert.equal(root.resources.map((r: any) => [r.uri, r.mimeType]), [
    ['skill://travel/trip-plan/SKILL.md', 'text/markdown'], ['skill://travel/trip-plan/logo.png', 'image/png'], ['skill://travel/trip-plan/refs', 'inode/directory'],
  ]);
  const sub = await ext(ex, request('resources/directory/read', { uri: 'skill://travel/trip-plan/refs' }));
  assert.equal(sub.resources.map((r: any) => r.name), ['cities.md']);
  assert.is((await ex.error(request('resources/directory/read', { uri: 'skill://travel/trip-plan/SKILL.md' }), 200, true)).code, -32602);
});

Skills('without directoryRead the method is not served and not declared', async () => {
  const ex = await served({ directoryRead: false });
  assert.equal((await ex.result(request('server/discover'))).capabilities.extensions, { 'io.modelcontextprotocol/skills': {} });
  assert.is((await ex.error(request('resources/directory/read', { uri: 'skill://travel/trip-plan' }), 404, true)).code, -32601);
});

const Refused = suite('skills that break the rules are refused at registration');

for (const [what, skill, message] of [
  ['a name that differs from the frontmatter', { path: 'a/other-name', files: { 'SKILL.md': MANIFEST } }, /must equal the last path segment/],
  ['an uppercase name', { path: 'a/Trip', files: { 'SKILL.md': MANIFEST.replace('trip-plan', 'Trip') } }, /naming rules/],
  ['no SKILL.md', { path: 'a/trip-plan', files: { 'README.md': 'x' } }, /needs a SKILL.md/],
  ['no frontmatter', { path: 'a/trip-plan', files: { 'SKILL.md': '# no frontmatter' } }, /frontmatter is missing/],
  ['a file path with ..', { path: 'a/trip-plan', files: { 'SKILL.md': MANIFEST, '../x.md': 'x' } }, /bad segment/],
  // A WHATWG URL parser (a host) reads %2e%2e as .., so these URIs name another skill's files
  // (skill://a/trip-plan/%2e%2e/other/SKILL.md is skill://a/other/SKILL.md); %2F and %5C
  // become separators in a host that stores skills by path.
  ['a file path with %2e%2e', { path: 'a/trip-plan', files: { 'SKILL.md': MANIFEST, '%2e%2e/other/SKILL.md': 'x' } }, /bad segment.*encodes/],
  ['a file path with .%2E', { path: 'a/trip-plan', files: { 'SKILL.md': MANIFEST, '.%2E/x.md': 'x' } }, /bad segment.*encodes/],
  ['a file path with %2e', { path: 'a/trip-plan', files: { 'SKILL.md': MANIFEST, 'refs/%2e/x.md': 'x' } }, /bad segment.*encodes/],
  ['a file name with %2F', { path: 'a/trip-plan', files: { 'SKILL.md': MANIFEST, '..%2Fx.md': 'x' } }, /bad segment.*encodes/],
  ['a file name with %5c', { path: 'a/trip-plan', files: { 'SKILL.md': MANIFEST, '..%5cx.md': 'x' } }, /bad segment.*encodes/],
  // `__proto__:` made the map below it the frontmatter's prototype: name and description
  // passed the checks, and skills/list served {} (JSON.stringify sees own keys only).
  ['a __proto__ key in the frontmatter', { path: 'a/trip-plan', files: { 'SKILL.md': '---\n__proto__:\n  name: trip-plan\n  description: d\n---\n' } }, /__proto__/],
  ['a skill path with %2E%2E', { path: 'a/%2E%2E/trip-plan', files: { 'SKILL.md': MANIFEST } }, /bad segment.*encodes/],
  ['too many files', { path: 'a/trip-plan', files: { 'SKILL.md': MANIFEST, 'b.md': 'x' } }, /at most 1/],
] as const) {
  Refused(what, () => {
    const server = createServer({ name: 's', version: '1' });
    try {
      void serveSkills(server, [skill as SkillDefinition], { maxFilesPerSkill: 1 + (what === 'too many files' ? 0 : 10) });
      assert.unreachable('served');
    } catch (error) {
      assert.is((error as { code?: string }).code, 'MCP_ERR_VALIDATION');
      assert.match((error as Error).message, message);
    }
    assert.is(server.capabilities().extensions, undefined, 'nothing declared');
  });
}

Refused('server.extension checks the identifier and refuses a second declaration', () => {
  const server = createServer({ name: 's', version: '1' });
  assert.throws(() => server.extension('no-prefix'), /reverse-DNS prefix/);
  server.extension('com.example/thing', { level: 1 });
  assert.throws(() => server.extension('com.example/thing'), /already declared/);
  assert.equal(server.capabilities().extensions, { 'com.example/thing': { level: 1 } });
});

const Frontmatter = suite('SKILL.md frontmatter');

Frontmatter('a value with a long run of spaces is read in one pass; a comment starts at the first " #" outside quotes', () => {
  // The comment was cut with / +#.*$/, which retried the run from every space: quadratic, a
  // 1 MB run took about a quarter of an hour (serveSkills is synchronous: the process stood
  // still). Bounded by the runner's per-file timeout before the fix, done at once after.
  const run = ' '.repeat(1 << 20);
  assert.equal(parseFrontmatter(`---\nname: x\ndescription: a${run}b${run}# note\n---\n`, 'f'), { name: 'x', description: `a${run}b` });
  assert.equal(parseFrontmatter("---\nname: x  # the name\ndescription: 'it''s #1'  # quoted\nnote: \"a #b\"\n---\n", 'f'), { name: 'x', description: "it's #1", note: 'a #b' });
  assert.throws(() => parseFrontmatter("---\nname: 'x\n---\n", 'f'), /quoted scalar/);
});

Frontmatter('scalars, quotes and one nested map; YAML beyond that is refused', () => {
  assert.equal(parseFrontmatter("---\nname: x\ndescription: 'it''s'\nversion: 2\ndraft: false\nmetadata:\n  a: b\n---\n", 'f'), { name: 'x', description: "it's", version: 2, draft: false, metadata: { a: 'b' } });
  assert.throws(() => parseFrontmatter('---\nname: [a, b]\n---\n', 'f'), /beyond key: value/);
  assert.throws(() => parseFrontmatter('---\nname: x\nname: y\n---\n', 'f'), /repeats the key name/);
});

// SEP-2640 "Nested skills" and "Resources": a skill inside another's directory is supporting
// content of the enclosing skill, whose `resources` MUST be complete (so it lists the nested
// files too), and a directory listing holds every direct child. The enclosing skill listed only
// its own files, and its directory had no entry for the nested skill's folder.
const Nested = suite('skills extension: nested skills');
const manifest = (name: string) => `---\nname: ${name}\ndescription: d\n---\n# ${name}\n`;
const OUTER: SkillDefinition = { path: 'a/outer', files: { 'SKILL.md': manifest('outer'), 'x.md': 'x' } };
const INNER: SkillDefinition = { path: 'a/outer/inner', files: { 'SKILL.md': manifest('inner'), 'refs/r.md': 'r' } };

Nested('the enclosing skill lists the nested files with their digests; the nested skill lists its own', async () => {
  const server = createServer({ name: 'skills', version: '1' });
  await serveSkills(server, [OUTER, INNER]);
  const list = await ext(new Exchange(server), request('skills/list'));
  const byUri = Object.fromEntries(list.skills.map((s: any) => [s.uri, s.resources.map((r: any) => [r.uri, r.digest])]));
  assert.equal(byUri['skill://a/outer/SKILL.md'], [
    ['skill://a/outer/SKILL.md', sha(manifest('outer'))], ['skill://a/outer/x.md', sha('x')],
    ['skill://a/outer/inner/SKILL.md', sha(manifest('inner'))], ['skill://a/outer/inner/refs/r.md', sha('r')],
  ]);
  assert.equal(byUri['skill://a/outer/inner/SKILL.md'], [['skill://a/outer/inner/SKILL.md', sha(manifest('inner'))], ['skill://a/outer/inner/refs/r.md', sha('r')]]);
});

Nested('the enclosing directory lists the nested skill as a folder; a file two skills would serve is refused', async () => {
  const server = createServer({ name: 'skills', version: '1' });
  await serveSkills(server, [OUTER, INNER]);
  const ex = new Exchange(server);
  const dir = await ext(ex, request('resources/directory/read', { uri: 'skill://a/outer' }));
  assert.ok(dir.resources.some((r: any) => r.uri === 'skill://a/outer/inner' && r.mimeType === 'inode/directory'), JSON.stringify(dir.resources));
  const inner = await ext(ex, request('resources/directory/read', { uri: 'skill://a/outer/inner' }));
  assert.equal(inner.resources.map((r: any) => r.uri), ['skill://a/outer/inner/SKILL.md', 'skill://a/outer/inner/refs']);
  const clash = { path: 'a/outer', files: { 'SKILL.md': manifest('outer'), 'inner/refs/r.md': 'other' } };
  assert.throws(() => serveSkills(createServer({ name: 's', version: '1' }), [clash, INNER]), /also a file of skill/);
});

Nested('the limits hold for the whole tree a read of the enclosing skill reaches, nested skills included', () => {
  // Each skill alone has 2 files and 2-5 bytes; the enclosing one lists 4 files, 8 bytes.
  const small = { path: 'a/outer', files: { 'SKILL.md': '---\nname: outer\ndescription: d\n---\n', 'x.md': 'x' } };
  const refused = (options: object, pattern: RegExp) => {
    const server = createServer({ name: 's', version: '1' });
    try {
      void serveSkills(server, [small, INNER], options);
      assert.unreachable('served');
    } catch (error) {
      assert.is((error as { code?: string }).code, 'MCP_ERR_VALIDATION');
      assert.match((error as Error).message, pattern);
    }
    assert.is(server.capabilities().extensions, undefined, 'nothing declared');
  };
  refused({ maxFilesPerSkill: 3 }, /skill "a\/outer": has 4 files with the files of the skills nested in it \("a\/outer\/inner"\); at most 3 \(maxFilesPerSkill\)/);
  const bytes = new TextEncoder().encode(small.files['SKILL.md'] + 'x' + manifest('inner') + 'r').byteLength;
  refused({ maxBytesPerSkill: bytes - 1 }, new RegExp(`skill "a/outer": has ${bytes} bytes of files with the files of the skills nested in it \\("a/outer/inner"\\); at most ${bytes - 1} \\(maxBytesPerSkill\\)`));
  void serveSkills(createServer({ name: 's', version: '1' }), [small, INNER], { maxFilesPerSkill: 4, maxBytesPerSkill: bytes });
});

Skills.run();
Nested.run();
Refused.run();
Frontmatter.run();
