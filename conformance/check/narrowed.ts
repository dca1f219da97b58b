/**
 * The narrowed clients of the capability probes, both eras: the driven client declares every
 * elicitation mode and `sampling.tools`; a tool that asked it for something only such a client
 * may be asked is called again from a client that declares less, which must not be asked it.
 */
import type { ClientOptions } from 'mcpwire/client';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a narrowed client declares, and which request (a server request or an inputRequests entry) it must not get. */
export interface Narrowing {
  /** The client options that declare less than the driven client. */
  readonly options: Partial<ClientOptions>;
  /** True for a request this client must not be sent. */
  readonly forbids: (request: Obj) => boolean;
}

/** URL-mode elicitation (2025-11-25 and 2026-07-28 client/elicitation: capabilities). */
export function isUrlElicitation(request: Obj): boolean {
  return request.method === 'elicitation/create' && isObj(request.params) && request.params.mode === 'url';
}

/** Tool-enabled sampling: `tools` or `toolChoice` offered (2025-11-25 and 2026-07-28 client/sampling: tools in sampling). */
export function offersSamplingTools(request: Obj): boolean {
  return request.method === 'sampling/createMessage' && isObj(request.params) && (request.params.tools !== undefined || request.params.toolChoice !== undefined);
}

/** A client declaring elicitation in form mode only. */
export const FORM_ONLY: Narrowing = {
  options: { elicitation: { modes: ['form'], validateContent: false }, onElicit: () => ({ action: 'decline' }) },
  forbids: isUrlElicitation,
};

/** A client declaring sampling without `sampling.tools`; it answers any other sampling request. */
export const SAMPLING_WITHOUT_TOOLS: Narrowing = {
  options: { onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'mcpwire check' }, model: 'mcpwire-check' }) },
  forbids: offersSamplingTools,
};
