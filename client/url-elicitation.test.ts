// URL-mode elicitation helpers: reading a -32042 error, and which completion
// notifications a client delivers (known ids once) or ignores (unknown, repeated).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { McpError, RpcError } from '../protocol/index.ts';
import { createElicitationTracker, urlElicitationsOf } from './url-elicitation.ts';

const errors = suite('urlElicitationsOf');

errors('lists the well-formed URL elicitations of a -32042 error', () => {
  const good = { mode: 'url', elicitationId: 'e1', url: 'https://example.com/connect', message: 'Connect your account' };
  const error = new RpcError(-32042, 'URL elicitation required', { elicitations: [good, { mode: 'url', url: 'x' }, 'junk'] });
  assert.equal(urlElicitationsOf(error), [good]);
  assert.equal(urlElicitationsOf(new RpcError(-32042, 'no data')), []);
  assert.is(urlElicitationsOf(new RpcError(-32602, 'other')), undefined);
  assert.is(urlElicitationsOf(new Error('plain')), undefined);
});

errors.run();

const tracker = suite('the elicitation tracker');

tracker('delivers a known id once, ignores unknown and repeated ones', () => {
  const t = createElicitationTracker();
  assert.is(t.complete('nobody-asked'), false);
  t.expect('e1');
  assert.is(t.complete('e1'), true);
  assert.is(t.complete('e1'), false, 'already completed');
  t.expect('e1');
  assert.is(t.complete('e1'), false, 'expecting a completed id again does not revive it');
});

tracker('wait resolves on completion, at once when already completed, and rejects on abort, timeout and close', async () => {
  const t = createElicitationTracker();
  const waiting = t.wait('e2');
  assert.is(t.complete('e2'), true, 'waiting makes the id known');
  await waiting;
  await t.wait('e2');
  const controller = new AbortController();
  const aborted = t.wait('e3', { signal: controller.signal });
  controller.abort();
  assert.is((await aborted.catch((e) => e) as McpError).code, 'MCP_ERR_ABORTED');
  const timedOut = await t.wait('e4', { timeoutMs: 5 }).catch((e) => e);
  assert.is((timedOut as McpError).code, 'MCP_ERR_TIMEOUT');
  const closing = t.wait('e5');
  t.closeAll(new McpError('MCP_ERR_CLOSED', 'gone'));
  assert.is((await closing.catch((e) => e) as McpError).code, 'MCP_ERR_CLOSED');
});

tracker('remembers a bounded number of ids, dropping the oldest', () => {
  const t = createElicitationTracker(2);
  t.expect('a');
  t.expect('b');
  t.expect('c');
  assert.is(t.complete('a'), false, 'evicted');
  assert.is(t.complete('b'), true);
  assert.is(t.complete('c'), true);
});

tracker.run();
