/**
 * The narrowed clients of the capability probes, both eras: the driven client declares every
 * elicitation mode and `sampling.tools`; a tool that asked it for something only such a client
 * may be asked is called again from a client that declares less, which must not be asked it.
 */
import type { ClientOptions } from 'mcpwire/client';
import type { RuleId } from './catalog.ts';
import { isObject as isObj, type Obj } from '../validate-schema-checks.ts';

/** What a narrowed client declares, and which request (a server request or an inputRequests entry) it must not get. */
export interface Narrowing {
  /** The rule a forbidden request fails. */
  readonly rule: RuleId;
  /** The forbidden request in words, without an article. */
  readonly what: string;
  /** What the narrowed client declares, in words. */
  readonly declared: string;
  /** Why the rule is skipped when no tool of the driven session made such a request. */
  readonly none: string;
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
  rule: 'capability.elicitation-mode', what: 'URL-mode elicitation/create', declared: 'elicitation in form mode only', none: 'no tool asked the client for URL-mode elicitation',
  options: { elicitation: { modes: ['form'], validateContent: false }, onElicit: () => ({ action: 'decline' }) },
  forbids: isUrlElicitation,
};

/** A client declaring sampling without `sampling.tools`; it answers any other sampling request. */
export const SAMPLING_WITHOUT_TOOLS: Narrowing = {
  rule: 'capability.sampling-tools', what: 'sampling/createMessage offering tools', declared: 'sampling without sampling.tools', none: 'no tool offered tools in a sampling request',
  options: { onSample: () => ({ role: 'assistant', content: { type: 'text', text: 'mcpwire check' }, model: 'mcpwire-check' }) },
  forbids: offersSamplingTools,
};
