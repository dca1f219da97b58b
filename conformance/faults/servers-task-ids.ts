/**
 * Deliberately broken servers, task ids a client could guess (2025-11-25 basic/utilities/tasks,
 * security: without an authorization context, task ids MUST be high-entropy; the 2026-07-28
 * tasks extension keeps them unguessable), part of MODERN_FAULTS (servers-modern.ts). Test-only.
 */
import { randomBytes } from 'node:crypto';
import { mapResponseMessages } from '../check/rewrite.ts';
import { legacy, type Fault } from './servers.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** `value` with every string that `swap` names replaced, at any depth. */
function swapped(value: unknown, swap: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return swap.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => swapped(v, swap));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapped(v, swap)]));
  return value;
}

/**
 * A task store that numbers its tasks (`task-1`, `task-2`, ...; `mint` makes the id of the n-th): the real store's ids are
 * replaced by the counter's on the way out and put back on the way in (in the body, and the
 * Mcp-Name header that names the task), so only the ids a client sees change.
 */
function countedTaskIds(mint: (n: number) => string = (n) => `task-${n}`): Fault['wrap'] {
  const out = new Map<string, string>(); // the store's id -> the counter's
  const back = new Map<string, string>();
  return (inner) => async (r) => {
    if (legacy(r) || r.method !== 'POST') return inner(r);
    const body = await r.clone().json().catch(() => undefined) as Obj | undefined;
    let request = r;
    if (body !== undefined && back.size > 0) {
      const headers = new Headers(r.headers);
      const name = headers.get('mcp-name');
      if (name !== null && back.has(name)) headers.set('mcp-name', back.get(name)!);
      request = new Request(r, { headers, body: JSON.stringify(swapped(body, back)) });
    }
    return mapResponseMessages(await inner(request), (m) => {
      if (isObj(m.result) && m.result.resultType === 'task' && typeof m.result.taskId === 'string' && !out.has(m.result.taskId)) {
        const counted = mint(out.size + 1);
        out.set(m.result.taskId, counted);
        back.set(counted, m.result.taskId);
      }
      return out.size === 0 ? m : swapped(m, out) as Obj;
    });
  };
}

/** The task id defects, one each. */
export const TASK_ID_FAULTS: readonly Fault[] = [
  {
    name: 'task-id-counted', defect: 'a 2026-07-28 task store numbers its tasks: task-1, task-2, ... (a client can read another\'s task by guessing)', expect: 'tasks.id-unguessable',
    wrap: countedTaskIds(),
  },
  (() => {
    // A store that draws one random prefix at start and numbers its tasks behind it: each id
    // alone looks random; two side by side show the counter.
    const prefix = randomBytes(12).toString('base64url');
    return {
      name: 'task-id-prefix-counted', defect: 'a 2026-07-28 task store mints a random prefix once and counts behind it: <prefix>-0001, <prefix>-0002, ...', expect: 'tasks.id-unguessable',
      wrap: countedTaskIds((n) => `${prefix}-${String(n).padStart(4, '0')}`),
    } satisfies Fault;
  })(),
];
