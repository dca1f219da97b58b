/**
 * `check --client`, legacy HTTP: the scripted server's first request to the client goes out
 * with the id 0 (our server counts from 1, so nothing else would send it). The client must
 * answer it, with 0 (2025-11-25 basic/index: "Requests MUST include a string or integer ID";
 * responses "MUST include the same ID as the request they correspond to"). A client that tests
 * ids for truthiness takes it for a notification and never answers, or answers with id null.
 * The answer is given back its real id before the server reads it, so the call goes on.
 */
import type { FindingRecorder } from './findings.ts';
import { ZERO_ID } from './http-jsonrpc.ts';
import type { Obj } from '../validate-schema-checks.ts';

/** The swap of one server request's id for 0, and its verdict. */
export interface ZeroIdSwap {
  /** A server-to-client message on its way out: the first request goes with the id 0. */
  outgoing(m: Obj): Obj;
  /** A POSTed client message: the answer to the swapped request, with its real id; undefined when not that answer. */
  incoming(body: Obj): Obj | undefined;
  /** Record `jsonrpc.zero-id`; the swapped request is taken out of `unanswered` (keyed by real id), being this rule's to report. */
  finish(rec: FindingRecorder, unanswered: Map<string, Obj>): void;
}

/** A swap that has not yet sent its request. */
export function createZeroIdSwap(): ZeroIdSwap {
  let sent: { id: unknown; method: string } | undefined;
  let answer: 'none' | 'zero' | 'other' = 'none';
  let otherId: unknown;
  return {
    outgoing(m) {
      if (sent !== undefined || typeof m.method !== 'string' || !('id' in m)) return m;
      sent = { id: m.id, method: m.method };
      return { ...m, id: ZERO_ID };
    },
    incoming(body) {
      // Only an answer (result or error) while the swapped request waits; 0 read as no id gives null or no id.
      if (sent === undefined || answer !== 'none' || 'method' in body || !('result' in body || 'error' in body)) return undefined;
      if (body.id === ZERO_ID) answer = 'zero';
      else if (body.id === null || body.id === undefined) {
        answer = 'other';
        otherId = body.id;
      } else return undefined;
      return { ...body, id: sent.id };
    },
    finish(rec, unanswered) {
      if (sent === undefined) {
        rec.skip('jsonrpc.zero-id', 'the scripted server sent the client no request (it declared no roots, sampling or elicitation, or never called check_ask)');
        return;
      }
      const waiting = unanswered.delete(String(sent.id));
      if (answer === 'zero') rec.pass('jsonrpc.zero-id', `the server's ${sent.method} with the id 0 was answered with the id 0`);
      else if (answer === 'other') rec.fail('jsonrpc.zero-id', `the server's ${sent.method} with the id 0 was answered with id ${JSON.stringify(otherId ?? null)}`, undefined);
      else if (waiting) rec.fail('jsonrpc.zero-id', `the server's ${sent.method} with the id 0 was never answered: the client took it for a notification`, undefined);
      else rec.fail('jsonrpc.zero-id', `the server's ${sent.method} with the id 0 got no answer with the id 0`, undefined);
    },
  };
}
