// Progress over stdio after the response to the request that gave its token (progress-order.ts):
// stdio keeps order, so such a progress was sent after the response and breaks progress.token.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TappedMessage } from '../tap.ts';
import { lateProgress } from './progress-order.ts';

const order = suite('check: progress after its response over stdio');
const C2S = 'client-to-server' as const;
const S2C = 'server-to-client' as const;
const call = (id: number, token: string | number): TappedMessage => ({ direction: C2S, message: { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x', _meta: { progressToken: token } } } });
const answer = (id: number): TappedMessage => ({ direction: S2C, message: { jsonrpc: '2.0', id, result: { content: [] } } });
const progress = (token: string | number, n: number): TappedMessage => ({ direction: S2C, message: { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: n } } });

order('progress before the response is on time; one after it is late, named with its token and request', () => {
  const { late, seen } = lateProgress([call(1, 't'), progress('t', 1), answer(1), progress('t', 2)]);
  assert.is(seen, 2);
  assert.equal(late.map((l) => [l.token, l.requestId]), [['t', 1]]);
});

order('a token given again by a new request is active again until that request is answered', () => {
  const { late } = lateProgress([call(1, 7), answer(1), call(2, 7), progress(7, 1), answer(2)]);
  assert.equal(late, []);
});

order('a request never answered (cancelled) keeps its token: its progress is not judged late', () => {
  const { late } = lateProgress([call(1, 'slow'), progress('slow', 1), call(2, 'fast'), answer(2), progress('slow', 2)]);
  assert.equal(late, []);
});

order('the number token 1 and the string token "1" are different tokens', () => {
  const { late } = lateProgress([call(1, 1), answer(1), call(2, '1'), progress('1', 1)]);
  assert.equal(late, []);
});

order.run();
