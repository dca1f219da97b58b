// A cancel that crosses its call's answer (2025-11-25 basic/utilities/cancellation: a
// cancellation may arrive after the request completed) is not judged: the server here handles
// each notifications/cancelled only once the call it names has been answered, as a loaded server
// that reads the cancel late does. Before session 36 the check failed it ("answered 0 ms after
// notifications/cancelled ... was accepted").
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mapResponseMessages } from '../check/rewrite.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';
import { legacy, type Fault } from './servers.ts';
import { checkHttpFault } from './http-fault-check.ts';

const crossed = suite('a cancel crossing its answer');

/** A bound on holding a cancel (ms): the call it names may never be answered. */
const HOLD_MS = 5_000;

function lateCancels(): Fault['wrap'] {
  const answered = new Map<string, { done: Promise<void>; mark: () => void }>(); // request id -> its answer went out
  const entry = (id: unknown) => {
    const key = JSON.stringify(id);
    let e = answered.get(key);
    if (e === undefined) {
      let mark!: () => void;
      const done = new Promise<void>((resolve) => { mark = resolve; });
      e = { done, mark };
      answered.set(key, e);
    }
    return e;
  };
  return (inner) => async (r) => {
    const body = r.method === 'POST' && legacy(r) ? await r.clone().json().catch(() => undefined) as Obj | undefined : undefined;
    if (body?.method === 'notifications/cancelled' && isObj(body.params)) {
      const e = entry(body.params.requestId);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([e.done, new Promise<void>((resolve) => { timer = setTimeout(resolve, HOLD_MS); })]);
      clearTimeout(timer);
      answered.delete(JSON.stringify(body.params.requestId));
      return inner(r);
    }
    const response = await inner(r);
    if (body?.method !== 'tools/call') return response;
    return mapResponseMessages(response, (m) => {
      if ('result' in m && JSON.stringify(m.id) === JSON.stringify(body.id)) entry(m.id).mark();
      return m;
    });
  };
}

crossed('the cancellation probe is skipped as crossed, not failed (the id-0 probe runs only after a pass)', async () => {
  const fault: Fault = { name: 'cancel-read-late', defect: '(none: each cancel is handled after the answer it crosses)', expect: 'cancellation.no-response', slowTool: true, wrap: lateCancels() };
  const { findings } = await checkHttpFault(fault);
  const cancel = findings.filter((f) => f.id === 'cancellation.no-response').map((f) => `${f.outcome}: ${f.detail}`);
  assert.equal(cancel, [
    'skip: not judged: tools/call of settle was answered while its notifications/cancelled was in flight (the answer was read before the cancel\'s 202 came back): they crossed, which the spec allows',
  ]);
});

crossed.run();
