/**
 * The skills extension (`io.modelcontextprotocol/skills`, SEP-2640), probed when
 * `server/discover` lists it in `capabilities.extensions`: `skills/get` of a SKILL.md URI no
 * skill has must be refused with -32602 (SEP-2640 as the project's notes record it: a server
 * MUST implement `skills/get {uri}`, "where an unknown skill gets -32602"; the same code as a
 * missing resource in 2026-07-28). A result, another error, or no answer fails
 * `skills.unknown-uri`. Over HTTP and stdio alike: `ask` carries the transport.
 */
import type { TaskAsk, TaskTarget } from './modern-tasks.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

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

/** `skills/get` of a skill that does not exist gets -32602. */
export async function checkSkills(t: TaskTarget, ask: TaskAsk): Promise<void> {
  if (!t.rec.wants('skills.unknown-uri')) return;
  const got = await ask('skills/get', { uri: UNKNOWN_SKILL_URI }, { 'mcp-name': UNKNOWN_SKILL_URI });
  const code = got.error?.code;
  if (code === -32602) t.rec.pass('skills.unknown-uri', `skills/get of ${UNKNOWN_SKILL_URI} got -32602`, 'modern');
  else t.rec.fail('skills.unknown-uri', `skills/get of ${UNKNOWN_SKILL_URI} got ${got.result ? `a result (${Object.keys(got.result).join(', ') || 'empty'})` : code === undefined ? 'no JSON-RPC error' : `error ${String(code)}`}, expected -32602`, got.exchange, 'modern');
}
