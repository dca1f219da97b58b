/**
 * Which requests are open across a stdio connection, seen from the transport: those the
 * peer sent that we still owe an answer, and those we sent that it still owes. The transport
 * reads it when stdin ends (basic/transports, stdio): answers owed are written before it
 * closes, and our requests fail at once since their answers can no longer arrive.
 */
import { isRequestId, type JsonRpcMessage, type RequestId } from '../../protocol/index.ts';

/** The ledger of open requests of one stdio connection. */
export interface InflightLedger {
  /** Note an inbound message (a batch is not counted: a refused batch is answered without ids). */
  received(value: unknown): void;
  /** The peer's request `id` is owed an answer (one the transport handed up itself). */
  expect(id: RequestId): void;
  /** Note an outbound message; true when it answered a request the peer sent. */
  sent(message: JsonRpcMessage | JsonRpcMessage[]): boolean;
  /** We answered the peer's request `id` with text (Transport.sendAnswerText); true when it was owed. */
  answeredPeer(id: RequestId): boolean;
  /** The peer answered our request `id` some other way; true when it was open. */
  answered(id: RequestId): boolean;
  /** Our requests still open, forgotten as they are returned. */
  takeAsked(): RequestId[];
  /** Answers we still owe. */
  readonly answering: number;
}

/** Create an empty ledger. */
export function createInflightLedger(): InflightLedger {
  // The one id owed while only one is (sequential calls, the common case): a Map that grows to
  // one entry and shrinks to none costs a rehash and a shrink per request (bench h).
  let oneId: RequestId | undefined;
  /** Requests owed an answer, by id, with a count (a reused id is answered once per use), while two or more are. */
  let owed: Map<RequestId, number> | undefined;
  const asked = new Set<RequestId>();
  let answering = 0;

  function expect(id: RequestId): void {
    answering++;
    if (owed === undefined) {
      if (oneId === undefined) {
        oneId = id;
        return;
      }
      owed = new Map([[oneId, 1]]);
      oneId = undefined;
    }
    owed.set(id, (owed.get(id) ?? 0) + 1);
  }

  function settle(id: RequestId): boolean {
    if (owed === undefined) {
      if (oneId !== id) return false;
      oneId = undefined;
      answering--;
      return true;
    }
    const count = owed.get(id);
    if (count === undefined) return false;
    if (count === 1) owed.delete(id);
    else owed.set(id, count - 1);
    if (owed.size === 0) owed = undefined;
    answering--;
    return true;
  }

  /** Note one outbound message; true when it answered a request the peer sent. */
  function sentOne(m: JsonRpcMessage): boolean {
    if (!('method' in m)) return m.id !== undefined && m.id !== null && settle(m.id);
    if ('id' in m) asked.add(m.id);
    return false;
  }

  return {
    received(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      const m = value as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: { requestId?: unknown } };
      if (typeof m.method === 'string') {
        if (m.jsonrpc === '2.0' && isRequestId(m.id)) expect(m.id);
        // 2025-11-25 basic/utilities/cancellation: a cancelled request gets no answer.
        else if (m.method === 'notifications/cancelled' && isRequestId(m.params?.requestId)) settle(m.params.requestId);
      } else if (isRequestId(m.id)) asked.delete(m.id);
    },
    expect,
    sent(message) {
      // One message (the common case) is noted as it is: no array made around it per send (bench h).
      if (!Array.isArray(message)) return sentOne(message);
      let settled = false;
      for (const m of message) if (sentOne(m)) settled = true;
      return settled;
    },
    answeredPeer: settle,
    answered: (id) => asked.delete(id),
    takeAsked() {
      const ids = [...asked];
      asked.clear();
      return ids;
    },
    get answering() {
      return answering;
    },
  };
}
