/**
 * The skills extension (`io.modelcontextprotocol/skills`, SEP-2640), probed when
 * `server/discover` lists it in `capabilities.extensions`: `skills/get` of a SKILL.md URI no
 * skill has must be refused with -32602 (SEP-2640 as the project's notes record it: a server
 * MUST implement `skills/get {uri}`, "where an unknown skill gets -32602"; the same code as a
 * missing resource in 2026-07-28). A result, another error, or no answer fails
 * `skills.unknown-uri`. Then each file the first `skills/list` page names (nested skills' files
 * included, up to {@link MAX_SKILL_FILES_READ}) is read with `resources/read`: its bytes (UTF-8
 * of a text, the decoded base64 of a blob) must have the entry's `sha256:` digest and `size`
 * (`skills.digest`; SEP-2640 as the project's notes record it: hosts verify the digests, so a
 * stale or miscounted one makes a verifying host refuse the file). Over HTTP and stdio alike:
 * `ask` carries the transport.
 */
import { createHash } from 'node:crypto';
import type { TaskAsk, TaskTarget } from './modern-tasks.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** The extension's id in `capabilities.extensions`. */
export const SKILLS_EXTENSION = 'io.modelcontextprotocol/skills';
/** A SKILL.md URI no server lists. */
export const UNKNOWN_SKILL_URI = 'skill://mcpwire-check-no-such-skill/SKILL.md';
/** What the skills probe declares on its request: the extension. */
export const SKILLS_CLIENT_CAPABILITIES = { extensions: { [SKILLS_EXTENSION]: {} } } as const;

/** True when `caps` (a DiscoverResult's) lists the skills extension. */
export function offersSkills(caps: Obj): boolean {
  return isObj(caps.extensions) && SKILLS_EXTENSION in caps.extensions;
}

/** Most skill files read to check their digests (one `resources/read` each). */
export const MAX_SKILL_FILES_READ = 50;

/** The skills extension's probes. */
export async function checkSkills(t: TaskTarget, ask: TaskAsk): Promise<void> {
  await checkUnknownSkill(t, ask);
  await checkDigests(t, ask);
}

/** The bytes of the contents `uri` read as (undefined: none of them is `uri`'s text or blob). */
function bytesOf(result: Obj | undefined, uri: string): Buffer | undefined {
  const contents = Array.isArray(result?.contents) ? result.contents.filter(isObj) : [];
  const c = contents.find((x) => x.uri === uri) ?? (contents.length === 1 ? contents[0] : undefined);
  if (typeof c?.text === 'string') return Buffer.from(c.text, 'utf8');
  return typeof c?.blob === 'string' ? Buffer.from(c.blob, 'base64') : undefined;
}

/** Each listed file's digest and size against what resources/read serves. */
async function checkDigests(t: TaskTarget, ask: TaskAsk): Promise<void> {
  if (!t.rec.wants('skills.digest')) return;
  const list = await ask('skills/list', {}, {});
  const files = (Array.isArray(list.result?.skills) ? list.result.skills.filter(isObj) : [])
    .flatMap((skill) => (Array.isArray(skill.resources) ? skill.resources.filter(isObj) : []))
    .filter((r): r is Obj & { uri: string } => typeof r.uri === 'string')
    .slice(0, MAX_SKILL_FILES_READ);
  if (files.length === 0) { t.rec.skip('skills.digest', `skills/list named no file (${list.result ? 'no skill with resources' : `error ${String(list.error?.code ?? 'none')}`})`, 'modern'); return; }
  let read = 0;
  for (const file of files) {
    const got = await ask('resources/read', { uri: file.uri }, { 'mcp-name': file.uri });
    const bytes = bytesOf(got.result, file.uri);
    if (bytes === undefined) continue; // a file that cannot be read is the resources rules' to judge
    read++;
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const wrong = [
      ...(typeof file.digest !== 'string' || file.digest.toLowerCase() !== digest ? [`digest ${JSON.stringify(file.digest ?? null)}, its bytes hash to ${digest}`] : []),
      ...(file.size !== undefined && file.size !== bytes.byteLength ? [`size ${JSON.stringify(file.size)}, it reads as ${bytes.byteLength} bytes`] : []),
    ];
    if (wrong.length > 0) { t.rec.fail('skills.digest', `skills/list gives ${file.uri} ${wrong.join('; ')}`, `${list.exchange}\n${got.exchange}`, 'modern'); return; }
  }
  if (read === 0) t.rec.skip('skills.digest', `none of the ${files.length} listed file(s) could be read`, 'modern');
  else t.rec.pass('skills.digest', `${read} file(s) listed by skills/list read back with their sha256 digest and size`, 'modern');
}

/** `skills/get` of a skill that does not exist gets -32602. */
async function checkUnknownSkill(t: TaskTarget, ask: TaskAsk): Promise<void> {
  if (!t.rec.wants('skills.unknown-uri')) return;
  const got = await ask('skills/get', { uri: UNKNOWN_SKILL_URI }, { 'mcp-name': UNKNOWN_SKILL_URI });
  const code = got.error?.code;
  if (code === -32602) t.rec.pass('skills.unknown-uri', `skills/get of ${UNKNOWN_SKILL_URI} got -32602`, 'modern');
  else t.rec.fail('skills.unknown-uri', `skills/get of ${UNKNOWN_SKILL_URI} got ${got.result ? `a result (${Object.keys(got.result).join(', ') || 'empty'})` : code === undefined ? 'no JSON-RPC error' : `error ${String(code)}`}, expected -32602`, got.exchange, 'modern');
}
