/**
 * The driven 2026-07-28 session judged for `modern.notification-outside-listen`. The driver's
 * client opens no `subscriptions/listen`, so every list change, resource update, task push or
 * acknowledgement the server sends it was sent outside any listen (2026-07-28
 * basic/patterns/subscriptions: "MUST NOT send notification types the client has not
 * explicitly requested"; streamable-http: notifications on a request's stream "MUST relate to
 * the originating client request"). Over HTTP the request whose reply stream carried it is
 * named (the transport gives each message the id of its POST).
 */
import type { MessageExtra } from 'mcpwire/protocol';
import type { FindingRecorder } from './findings.ts';
import { isListenKind } from './modern-listen.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** Watches one driven session's messages both ways. */
export interface DrivenListenWatch {
  /** A message the client sends. */
  sent(message: unknown): void;
  /** A message the server sends, with the transport's extra (HTTP: `relatedRequestId`). */
  received(message: unknown, extra: MessageExtra | undefined): void;
  /** Record one failure (the first stray) or one pass. */
  finish(rec: FindingRecorder, transport: 'http' | 'stdio'): void;
}

export function drivenListenWatch(): DrivenListenWatch {
  const methods = new Map<string, string>(); // request id (JSON) -> method
  let listened = false; // the client opened a listen: strays can no longer be told apart here
  let received = 0;
  let last: string | undefined; // the method of the last request sent (stdio: one channel)
  let stray: { message: Obj; on: string | undefined; last: string | undefined } | undefined;
  return {
    sent(message) {
      if (!isObj(message) || typeof message.method !== 'string' || !('id' in message)) return;
      methods.set(JSON.stringify(message.id), message.method);
      last = message.method;
      if (message.method === 'subscriptions/listen') listened = true;
    },
    received(message, extra) {
      if (!isObj(message)) return;
      received++;
      if (stray !== undefined || !isListenKind(message)) return;
      const related = extra?.relatedRequestId;
      stray = { message, on: related === undefined ? undefined : `${methods.get(JSON.stringify(related)) ?? 'a request'} (id ${JSON.stringify(related)})`, last };
    },
    finish(rec, transport) {
      if (!rec.wants('modern.notification-outside-listen')) return;
      if (listened) {
        rec.skip('modern.notification-outside-listen', 'the driven session opened a listen; its messages are judged by the listen probes', 'modern');
        return;
      }
      if (stray === undefined) {
        rec.pass('modern.notification-outside-listen', `the driven session (no listen opened): none of the server's ${received} message(s) was a list change, resource update or task push`, 'modern');
        return;
      }
      const where = stray.on !== undefined ? `on the reply stream of ${stray.on}` : transport === 'http' ? 'on a stream of no request' : `on stdout while ${stray.last ?? 'no request'} was the last request`;
      rec.fail('modern.notification-outside-listen', `${String(stray.message.method)} came ${where} in the driven session, which opened no listen`, stray.message, 'modern');
    },
  };
}
