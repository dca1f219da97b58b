// A multi round-trip request outlives the server (issue #13 acceptance): `mcpwire serve
// --http --fixtures --state DIR` answers InputRequiredResult, is killed with SIGKILL, restarts
// on the same DIR (same requestState key), and the client's retry completes: the continuation
// died with the process, so the handler is re-run with the answers recorded in the sealed
// state. With another key the retry is refused as tampered. Real processes on 127.0.0.1, port 0
// (run `npm run build` first).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageValidator } from '../conformance/index.ts';
import { killed, startServe, stopped } from './serve-process.ts';
import { envelope } from './modern-kit.ts';

const TOOL = 'test_input_required_result_multi_round';
const v = createMessageValidator('2026-07-28');
let ids = 0;

async function call(url: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const message = { jsonrpc: '2.0', id: `k-${++ids}`, method: 'tools/call', params: { name: TOOL, arguments: {}, ...extra, _meta: envelope({ elicitation: {} }) } };
  assert.equal(v.validate(message, 'client-to-server'), []);
  const res = await fetch(url, {
    method: 'POST', body: JSON.stringify(message),
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': TOOL },
  });
  const body = JSON.parse(await res.text());
  assert.equal(v.validate(body, 'server-to-client'), [], JSON.stringify(body));
  return { status: res.status, body };
}

const answer = (field: string, value: string) => ({ action: 'accept', content: { [field]: value } });

const restart = suite('MRTR across a SIGKILL: the retry re-runs the handler with the recorded answers');

restart('two rounds before the kill, the last retry after the restart completes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-mrtr-'));
  let server = await startServe(['--fixtures', '--state', dir]);
  try {
    const first = await call(server.url);
    assert.is(first.body.result.resultType, 'input_required');
    assert.ok(first.body.result.inputRequests.step1);
    const second = await call(server.url, { inputResponses: { step1: answer('name', 'Ada') }, requestState: first.body.result.requestState });
    assert.ok(second.body.result.inputRequests.step2, 'step 2 asked before the kill');
    assert.is(((await stat(join(dir, 'request-state.key'))).mode & 0o777), 0o600, 'the key file is private');
    await killed(server.child);
    server = await startServe(['--fixtures', '--state', dir]);
    const done = await call(server.url, { inputResponses: { step2: answer('color', 'green') }, requestState: second.body.result.requestState });
    assert.is(done.status, 200);
    assert.is(done.body.result.resultType, 'complete');
    assert.equal(done.body.result.content, [{ type: 'text', text: 'Ada likes green' }]);
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

restart('a state already answered is refused after a kill -9 and restart too (single use outlives the restart, as the key does)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-mrtr-'));
  let server = await startServe(['--fixtures', '--state', dir]);
  try {
    const first = await call(server.url);
    const second = await call(server.url, { inputResponses: { step1: answer('name', 'Ada') }, requestState: first.body.result.requestState });
    const state = second.body.result.requestState;
    const done = await call(server.url, { inputResponses: { step2: answer('color', 'green') }, requestState: state });
    assert.equal(done.body.result.content, [{ type: 'text', text: 'Ada likes green' }]);
    await killed(server.child);
    server = await startServe(['--fixtures', '--state', dir]);
    // Before: accepted, the handler re-run with other answers ("Ada likes red"), within the state's TTL.
    const replayed = await call(server.url, { inputResponses: { step2: answer('color', 'red') }, requestState: state });
    assert.is(replayed.body.error?.code, -32602, JSON.stringify(replayed.body));
    assert.is(replayed.body.error.data.reason, 'replayed');
    assert.is(((await stat(join(dir, 'request-state.used'))).mode & 0o777), 0o600, 'the markers file is private');
    // A state not used before the kill is still accepted after it (the round's own retry).
    const fresh = await call(server.url);
    await killed(server.child);
    server = await startServe(['--fixtures', '--state', dir]);
    const next = await call(server.url, { inputResponses: { step1: answer('name', 'Ada') }, requestState: fresh.body.result.requestState });
    assert.ok(next.body.result?.inputRequests?.step2, JSON.stringify(next.body));
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

restart('MCPWIRE_REQUEST_STATE_KEY seals instead; a server with another key refuses the state', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpwire-mrtr-'));
  const key = randomBytes(32).toString('base64');
  let server = await startServe(['--fixtures'], { MCPWIRE_REQUEST_STATE_KEY: key });
  try {
    const first = await call(server.url);
    const state = first.body.result.requestState;
    await killed(server.child);
    server = await startServe(['--fixtures', '--state', dir]); // its own key, in dir
    const refused = await call(server.url, { inputResponses: { step1: answer('name', 'Ada') }, requestState: state });
    assert.is(refused.body.error.code, -32602);
    assert.is(refused.body.error.data.reason, 'tampered');
    await stopped(server.child, 'SIGTERM');
    server = await startServe(['--fixtures'], { MCPWIRE_REQUEST_STATE_KEY: key });
    const next = await call(server.url, { inputResponses: { step1: answer('name', 'Ada') }, requestState: state });
    assert.ok(next.body.result.inputRequests.step2, 'the same key opens the state after a restart');
  } finally {
    await killed(server.child);
    await rm(dir, { recursive: true, force: true });
  }
});

restart('a key that is too short is a usage error, not a silent random key', async () => {
  const failed = await startServe(['--fixtures'], { MCPWIRE_REQUEST_STATE_KEY: 'c2hvcnQ=' }).then(async (started) => { await killed(started.child); return undefined; }, (error: Error) => error);
  assert.match(failed?.message ?? 'it started', /exited with 2: .*at least 32 bytes/);
});

restart.run();
