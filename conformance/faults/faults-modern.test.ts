// Proof that `mcpwire check` finds 2026-07-28 defects: each broken server (servers-modern.ts) is
// reported with exactly its seeded rule; a listen refused for naming a resource is still judged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { legacy, type Fault } from './servers.ts';
import { mapResponseMessages } from '../check/rewrite.ts';
import { isObject as isObj } from '../validate-schema-checks.ts';
import { MODERN_FAULTS } from './servers-modern.ts';
import { REPLAY_FAULT } from './servers-state.ts';
import { checkHttpFault } from './http-fault-check.ts';
import { overlapped } from '../../test/support/overlapped.ts';

const faults = suite('check finds each seeded 2026-07-28 fault');

faults('a server that refuses a listen naming a resource is asked again without it, and judged, not skipped', async () => {
  // Not a defect: a server may refuse a filter it cannot honour. The kinds alone are still checked.
  const refusing: Fault = {
    name: 'listen-refuses-uris', defect: '(none)', expect: 'modern.listen-filter',
    wrap: (inner) => async (r) => {
      const text = r.method === 'POST' ? await r.clone().text() : '';
      if (!text.includes('"subscriptions/listen"') || !text.includes('resourceSubscriptions')) return inner(r);
      const id = (JSON.parse(text) as { id: unknown }).id;
      return Response.json({ jsonrpc: '2.0', id, error: { code: -32602, message: 'resource subscriptions are not offered' } });
    },
  };
  const { failed, listenPasses } = await checkHttpFault(refusing);
  assert.equal(failed, []);
  assert.equal(listenPasses.length, 1);
  assert.match(listenPasses[0]!, /^the listen stream \(asking \{"toolsListChanged":true\}\) carried only what it asked for/);
});

faults('a server that serves a used requestState again is found as modern.request-state-single-use (info), and nothing else', async () => {
  const { failed, findings } = await checkHttpFault(REPLAY_FAULT);
  assert.equal(failed, []);
  const found = findings.filter((f) => f.outcome === 'fail');
  assert.equal(found.map((f) => f.id), ['modern.request-state-single-use']);
  assert.match(found[0]!.detail, /^a replay of ask_name's last retry, its requestState already used by the session's call that completed, completed again \(\[\{"type":"text","text":"hello [^"]*"\}\], the genuine result\)/);
  assert.match(found[0]!.exchange ?? '', /"requestState":/);
});

faults('a server that lists a tool in 2026-07-28 only is found as tools.eras-alike (info), and nothing else', async () => {
  const fault: Fault = {
    name: 'tool-in-one-era', defect: 'ask_two is listed to 2026-07-28 requests only: legacy sessions never see it', expect: 'tools.eras-alike', twoRoundTool: true,
    wrap: (inner) => async (r) => {
      if (!legacy(r) || !(r.method === 'POST' && (await r.clone().text()).includes('"tools/list"'))) return inner(r);
      return mapResponseMessages(await inner(r), (m) => (isObj(m.result) && Array.isArray(m.result.tools) ? { ...m, result: { ...m.result, tools: m.result.tools.filter((t) => !(isObj(t) && t.name === 'ask_two')) } } : m));
    },
  };
  const { failed, findings } = await checkHttpFault(fault);
  assert.equal(failed, []);
  const found = findings.filter((f) => f.outcome === 'fail');
  assert.equal(found.map((f) => `${f.id}: ${f.detail}`), ['tools.eras-alike: the eras list other tools (ask_two only in 2026-07-28): a client\'s tools differ by the protocol version it speaks']);
  assert.match(found[0]!.exchange ?? '', /"modern":\[.*"ask_two"/);
});

faults('a server that describes a tool otherwise in the legacy era is found as tools.eras-alike (info), and nothing else', async () => {
  const fault: Fault = {
    name: 'tool-described-per-era', defect: 'ask_name is listed to legacy sessions with another description and no annotations', expect: 'tools.eras-alike',
    wrap: (inner) => async (r) => {
      if (!legacy(r) || !(r.method === 'POST' && (await r.clone().text()).includes('"tools/list"'))) return inner(r);
      const redescribed = (t: unknown) => (isObj(t) && t.name === 'ask_name' ? { name: t.name, description: 'Greets someone (legacy).', inputSchema: t.inputSchema } : t);
      return mapResponseMessages(await inner(r), (m) => (isObj(m.result) && Array.isArray(m.result.tools) ? { ...m, result: { ...m.result, tools: m.result.tools.map(redescribed) } } : m));
    },
  };
  const { failed, findings } = await checkHttpFault(fault);
  assert.equal(failed, []);
  const found = findings.filter((f) => f.outcome === 'fail');
  assert.equal(found.map((f) => `${f.id}: ${f.detail}`), ['tools.eras-alike: the eras list other tools (ask_name with another description and annotations): a client\'s tools differ by the protocol version it speaks']);
  assert.match(found[0]!.exchange ?? '', /"changed":\{"name":"ask_name","legacy":\{"description":"Greets someone \(legacy\)\.","annotations":null\},"modern":\{"description":"Asks for a name and greets it\.","annotations":\{"readOnlyHint":true\}\}\}/);
});

faults('a server whose form asks for a password is found as elicitation.form-secrets in both eras, and nothing else', async () => {
  // ask_name's form gains an optional password field: in 2025-11-25's elicitation/create request and in 2026-07-28's inputRequests.
  const withPassword = (params: unknown) => (isObj(params) && isObj(params.requestedSchema) && isObj(params.requestedSchema.properties)
    ? { ...params, requestedSchema: { ...params.requestedSchema, properties: { ...params.requestedSchema.properties, password: { type: 'string', title: 'Password' } } } } : params);
  const fault: Fault = {
    name: 'form-asks-password', defect: 'ask_name\'s form also asks for a password', expect: 'elicitation.form-secrets',
    wrap: (inner) => async (r) => mapResponseMessages(await inner(r), (m) => {
      if (m.method === 'elicitation/create') return { ...m, params: withPassword(m.params) };
      if (!isObj(m.result) || !isObj(m.result.inputRequests)) return m;
      const asks = Object.fromEntries(Object.entries(m.result.inputRequests).map(([k, ask]) => [k, isObj(ask) && ask.method === 'elicitation/create' ? { ...ask, params: withPassword(ask.params) } : ask]));
      return { ...m, result: { ...m.result, inputRequests: asks } };
    }),
  };
  const { failed, findings } = await checkHttpFault(fault);
  assert.ok(failed.length > 0, 'found something');
  assert.equal([...new Set(failed.map((f) => f.split(':')[0]))], ['elicitation.form-secrets'], failed.join('\n'));
  const eras = new Set(findings.filter((f) => f.id === 'elicitation.form-secrets' && f.outcome === 'fail').map((f) => f.era));
  assert.equal([...eras].sort(), ['legacy', 'modern']);
  assert.match(failed[0]!, /the form asks for "password" \(titled "Password"\), whose name reads as a secret \("password"\)/);
});

/** The checks mostly wait (exchange bounds, windows): they run two at a time from the start. */
const checked = overlapped(MODERN_FAULTS, checkHttpFault);
for (const fault of MODERN_FAULTS) {
  faults(`${fault.name} (${fault.defect}) is found as ${fault.expect}, and nothing else`, async () => {
    const { failed, unexplained } = await checked(fault);
    // Session 30: each failure shows what was sent and what came back.
    assert.equal(unexplained, [], 'failures without an exchange');
    assert.ok(failed.length > 0, 'found something');
    assert.equal([...new Set(failed.map((f) => f.split(':')[0]))], [fault.expect], failed.join('\n'));
  });
}

faults('a state bound to its arguments but not its tool is found by its move to another tool; the move to other arguments passes', async () => {
  const fault = MODERN_FAULTS.find((f) => f.name === 'request-state-tool-unbound')!;
  const { findings } = await checked(fault);
  const bound = findings.filter((f) => f.id === 'modern.request-state-bound');
  assert.equal(bound.map((f) => f.outcome), ['pass', 'fail']);
  assert.match(bound[0]!.detail, /^a retry of ask_\w+ with the argument mcpwire_check_moved added, .* was refused with error -32602/);
  assert.match(bound[1]!.detail, /^a call of ask_\w+ carrying the fresh requestState ask_\w+'s last round issued \(and that round's answers\), completed \(/);
  assert.match(bound[1]!.exchange ?? '', /"requestState":/);
});

faults.run();
