// Shared wiring for end-to-end tests: every message crosses the spec-schema tap, so any
// test that exchanges a message also checks it against the spec's JSON schemas.
import { createMemoryPair } from 'mcpwire/transport';
import type { Transport, JsonRpcMessage } from 'mcpwire/protocol';
import { createSchemaTap } from '../conformance/tap.ts';

export interface Tapped {
  /** Every message, in order, as the client end saw it. */
  readonly messages: ReadonlyArray<{ direction: 'client-to-server' | 'server-to-client'; message: JsonRpcMessage }>;
  /** Throws listing the schema violations seen, if any. */
  assertClean(): void;
}

/** A client/server memory pair whose client end validates both directions. */
export function linkedPair(): { clientTransport: Transport; serverTransport: Transport; taps: Tapped } {
  const [clientEnd, serverEnd] = createMemoryPair();
  const tap = createSchemaTap(clientEnd, { side: 'client', record: true });
  return { clientTransport: tap, serverTransport: serverEnd, taps: tap as unknown as Tapped };
}

/** Wrap any client-side transport with the tap. */
export function tapClient(transport: Transport): Transport & Tapped {
  return createSchemaTap(transport, { side: 'client', record: true }) as unknown as Transport & Tapped;
}
