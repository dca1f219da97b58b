// protocol/ping.ts's rules on what counts as an answer (2025-11-25 basic/utilities/ping: a
// ping is to find a peer that no longer reads). A JSON-RPC error answer and an HTTP 4xx from
// the server (a 404 for a forgotten session) are answers; a timeout, a send failure and an
// HTTP 5xx (a proxy with no server behind it) are misses. Also: misses reset on an answer,
// one ping at a time, nothing after stop(). A fake target and a clock moved by hand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, McpError, RpcError } from './errors.ts';
import { createManualTimers } from './manual-timers.ts';
import { startPinging } from './ping.ts';

const test = suite('periodic ping: what counts as an answer');

/** A target answering each ping as `answers` says, in order ('hang': never). */
function target(answers: Array<'ok' | 'hang' | Error>) {
  let sent = 0;
  let inFlight = 0;
  let most = 0;
  return {
    closed: false,
    sent: () => sent,
    most: () => most,
    request(_method: 'ping', _params: undefined, options: { signal: AbortSignal }) {
      const answer = answers[sent++] ?? 'ok';
      inFlight += 1;
      most = Math.max(most, inFlight);
      const done = <T>(p: Promise<T>) => p.finally(() => { inFlight -= 1; });
      if (answer === 'ok') return done(Promise.resolve({}));
      if (answer instanceof Error) return done(Promise.reject(answer));
      return done(new Promise((_resolve, reject) => options.signal.addEventListener('abort', () => reject(new McpError('MCP_ERR_ABORTED', 'aborted')))));
    },
  };
}

const settle = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };

test('an RpcError and an HTTP 404 are answers; a timeout, a send failure and an HTTP 502 are misses; an answer resets the count', async () => {
  const timers = createManualTimers();
  const peer = target([new RpcError(-32601, 'Method not found'), new HttpError(404, 'session not found'), 'hang', 'ok', new Error('socket hang up'), 'ok', new HttpError(502, 'Bad Gateway'), 'hang']);
  const missed: string[] = [];
  let gone: string | undefined;
  startPinging(peer, { intervalMs: 100, timeoutMs: 50, maxMissed: 2 }, { peerName: 'server', timers, missed: (e) => missed.push(e.message), gone: (e) => { gone = e.message; } });
  for (let i = 0; i < 20 && gone === undefined; i++) { timers.advance(50); await settle(); }
  assert.equal(missed, [
    'ping to the server failed (1 of 2 in a row): no answer within 50 ms',
    'ping to the server failed (1 of 2 in a row): it could not be sent: socket hang up',
    'ping to the server failed (1 of 2 in a row): answered HTTP 502 (Bad Gateway)',
  ]);
  assert.is(gone, 'the server answered none of 2 pings in a row (each given 50 ms, every 100 ms): the connection is treated as gone and closed');
  assert.is(peer.sent(), 8);
  assert.is(peer.most(), 1, 'one ping at a time');
  assert.is(timers.armed(), 0, 'nothing armed once gone');
});

test('stop() ends it: no ping after, nothing armed', async () => {
  const timers = createManualTimers();
  const peer = target([]);
  const pinger = startPinging(peer, { intervalMs: 100 }, { peerName: 'client', timers, missed: () => {}, gone: () => {} });
  timers.advance(100); await settle();
  assert.is(peer.sent(), 1);
  pinger.stop();
  timers.advance(1_000); await settle();
  assert.is(peer.sent(), 1);
  assert.is(timers.armed(), 0);
});

test.run();
