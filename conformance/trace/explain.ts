/**
 * What each MCP method means, in one line, with the spec section it rests on. The section
 * names are those of the 2025-11-25 revision (`basic/...`, `server/...`, `client/...`); the
 * methods of 2026-07-28 only name that revision.
 */

interface Meaning {
  readonly request?: string;
  readonly notification?: string;
  readonly result?: string;
  readonly spec: string;
}

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';

const MEANINGS: Readonly<Record<string, Meaning>> = {
  initialize: { request: 'the client opens a session, offering its protocol version, capabilities and identity', result: 'the server accepts: the version both will speak, its capabilities and identity', spec: `${LEGACY} basic/lifecycle` },
  'notifications/initialized': { notification: 'the client is ready: normal operation begins', spec: `${LEGACY} basic/lifecycle` },
  ping: { request: 'is the other side still there?', result: 'yes (an empty result)', spec: `${LEGACY} basic/utilities/ping` },
  'server/discover': { request: 'the client asks what the server supports (no session: every request carries its own version)', result: 'the versions, capabilities and instructions, with how long the answer may be cached', spec: `${MODERN} basic/lifecycle` },
  'tools/list': { request: 'the client asks which tools the server offers', result: 'the tools (a page of them), each with its input schema', spec: `${LEGACY} server/tools` },
  'tools/call': { request: 'the client calls a tool with arguments', result: 'the tool\'s result (isError marks a tool failure, not a protocol one)', spec: `${LEGACY} server/tools` },
  'notifications/tools/list_changed': { notification: 'the server\'s tools changed: list them again', spec: `${LEGACY} server/tools` },
  'resources/list': { request: 'the client asks which resources the server has', result: 'the resources (a page of them)', spec: `${LEGACY} server/resources` },
  'resources/templates/list': { request: 'the client asks for the server\'s URI templates', result: 'the resource templates', spec: `${LEGACY} server/resources` },
  'resources/read': { request: 'the client reads a resource by URI', result: 'the resource\'s contents', spec: `${LEGACY} server/resources` },
  'resources/subscribe': { request: 'the client asks to hear when a resource changes', result: 'subscribed', spec: `${LEGACY} server/resources` },
  'resources/unsubscribe': { request: 'the client stops hearing about a resource', result: 'unsubscribed', spec: `${LEGACY} server/resources` },
  'notifications/resources/updated': { notification: 'a resource the client subscribed to changed: read it again', spec: `${LEGACY} server/resources` },
  'notifications/resources/list_changed': { notification: 'the server\'s resources changed: list them again', spec: `${LEGACY} server/resources` },
  'prompts/list': { request: 'the client asks which prompts the server offers', result: 'the prompts (a page of them)', spec: `${LEGACY} server/prompts` },
  'prompts/get': { request: 'the client fills in a prompt with arguments', result: 'the prompt\'s messages', spec: `${LEGACY} server/prompts` },
  'notifications/prompts/list_changed': { notification: 'the server\'s prompts changed: list them again', spec: `${LEGACY} server/prompts` },
  'completion/complete': { request: 'the client asks for completions of an argument being typed', result: 'suggested values', spec: `${LEGACY} server/utilities/completion` },
  'logging/setLevel': { request: 'the client sets how much the server logs to it', result: 'done', spec: `${LEGACY} server/utilities/logging` },
  'notifications/message': { notification: 'a log message from the server', spec: `${LEGACY} server/utilities/logging` },
  'notifications/progress': { notification: 'progress of a request that asked for it with a progress token', spec: `${LEGACY} basic/utilities/progress` },
  'notifications/cancelled': { notification: 'the sender gives up on a request it made: no response is expected', spec: `${LEGACY} basic/utilities/cancellation` },
  'elicitation/create': { request: 'the server asks the user for input, on behalf of the call that needs it', result: 'the user\'s answer (accept with content, decline or cancel)', spec: `${LEGACY} client/elicitation` },
  'notifications/elicitation/complete': { notification: 'an out-of-band (URL) elicitation finished', spec: `${LEGACY} client/elicitation` },
  'sampling/createMessage': { request: 'the server asks the host\'s model for a completion, on behalf of a call', result: 'the model\'s message', spec: `${LEGACY} client/sampling` },
  'roots/list': { request: 'the server asks which filesystem roots the client exposes', result: 'the roots', spec: `${LEGACY} client/roots` },
  'notifications/roots/list_changed': { notification: 'the client\'s roots changed', spec: `${LEGACY} client/roots` },
  'tasks/get': { request: 'the client asks for a task\'s status', result: 'the task\'s status', spec: `${LEGACY} basic/utilities/tasks` },
  'tasks/result': { request: 'the client waits for a task\'s result', result: 'the result of the task\'s request', spec: `${LEGACY} basic/utilities/tasks` },
  'tasks/list': { request: 'the client lists its tasks', result: 'the tasks (a page of them)', spec: `${LEGACY} basic/utilities/tasks` },
  'tasks/cancel': { request: 'the client cancels a task', result: 'the task, now cancelled', spec: `${LEGACY} basic/utilities/tasks` },
  'tasks/update': { request: 'the client answers a task that needs input', result: 'the task', spec: `${MODERN} tasks extension` },
  'notifications/tasks/status': { notification: 'a task changed status', spec: `${LEGACY} basic/utilities/tasks` },
  'subscriptions/listen': { request: 'the client opens a stream for the notifications it asks for (list changes, resource updates)', result: 'the subscription ended', spec: `${MODERN} basic/utilities/subscriptions` },
  'notifications/subscriptions/acknowledged': { notification: 'the server confirms a subscription and what it will send', spec: `${MODERN} basic/utilities/subscriptions` },
};

/** The explanation and spec section for a message of `method` of `kind`. */
export function meaningOf(method: string | undefined, kind: 'request' | 'response' | 'error' | 'notification'): { explain: string; spec?: string } {
  const m = method === undefined ? undefined : MEANINGS[method];
  if (!m) {
    if (kind === 'error') return { explain: 'the request failed (a JSON-RPC error)', spec: `${LEGACY} basic` };
    return { explain: method ? `${method} (not a method this tracer knows)` : 'a message the tracer cannot place' };
  }
  const text = kind === 'request' ? m.request : kind === 'notification' ? m.notification : kind === 'response' ? m.result : undefined;
  if (kind === 'error') return { explain: `${method} failed (a JSON-RPC error)`, spec: m.spec };
  return { explain: text ?? method!, spec: m.spec };
}
