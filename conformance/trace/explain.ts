/**
 * What each MCP method means, in one line, with the topic of the spec it rests on; the
 * tracer cites that topic's page at the revision the conversation speaks (spec-pages.ts).
 */
import type { SpecTopic } from '../spec-pages.ts';

interface Meaning {
  readonly request?: string;
  readonly notification?: string;
  readonly result?: string;
  readonly topic: SpecTopic;
}

const MEANINGS: Readonly<Record<string, Meaning>> = {
  initialize: { request: 'the client opens a session, offering its protocol version, capabilities and identity', result: 'the server accepts: the version both will speak, its capabilities and identity', topic: 'lifecycle' },
  'notifications/initialized': { notification: 'the client is ready: normal operation begins', topic: 'lifecycle' },
  ping: { request: 'is the other side still there?', result: 'yes (an empty result)', topic: 'ping' },
  'server/discover': { request: 'the client asks what the server supports (no session: every request carries its own version)', result: 'the versions, capabilities and instructions, with how long the answer may be cached', topic: 'discover' },
  'tools/list': { request: 'the client asks which tools the server offers', result: 'the tools (a page of them), each with its input schema', topic: 'tools' },
  'tools/call': { request: 'the client calls a tool with arguments', result: 'the tool\'s result (isError marks a tool failure, not a protocol one)', topic: 'tools' },
  'notifications/tools/list_changed': { notification: 'the server\'s tools changed: list them again', topic: 'tools' },
  'resources/list': { request: 'the client asks which resources the server has', result: 'the resources (a page of them)', topic: 'resources' },
  'resources/templates/list': { request: 'the client asks for the server\'s URI templates', result: 'the resource templates', topic: 'resources' },
  'resources/read': { request: 'the client reads a resource by URI', result: 'the resource\'s contents', topic: 'resources' },
  'resources/subscribe': { request: 'the client asks to hear when a resource changes', result: 'subscribed', topic: 'resources' },
  'resources/unsubscribe': { request: 'the client stops hearing about a resource', result: 'unsubscribed', topic: 'resources' },
  'notifications/resources/updated': { notification: 'a resource the client subscribed to changed: read it again', topic: 'resources' },
  'notifications/resources/list_changed': { notification: 'the server\'s resources changed: list them again', topic: 'resources' },
  'prompts/list': { request: 'the client asks which prompts the server offers', result: 'the prompts (a page of them)', topic: 'prompts' },
  'prompts/get': { request: 'the client fills in a prompt with arguments', result: 'the prompt\'s messages', topic: 'prompts' },
  'notifications/prompts/list_changed': { notification: 'the server\'s prompts changed: list them again', topic: 'prompts' },
  'completion/complete': { request: 'the client asks for completions of an argument being typed', result: 'suggested values', topic: 'completion' },
  'logging/setLevel': { request: 'the client sets how much the server logs to it', result: 'done', topic: 'logging' },
  'notifications/message': { notification: 'a log message from the server', topic: 'logging' },
  'notifications/progress': { notification: 'progress of a request that asked for it with a progress token', topic: 'progress' },
  'notifications/cancelled': { notification: 'the sender gives up on a request it made: no response is expected', topic: 'cancellation' },
  'elicitation/create': { request: 'the server asks the user for input, on behalf of the call that needs it', result: 'the user\'s answer (accept with content, decline or cancel)', topic: 'elicitation' },
  'notifications/elicitation/complete': { notification: 'an out-of-band (URL) elicitation finished', topic: 'elicitation' },
  'sampling/createMessage': { request: 'the server asks the host\'s model for a completion, on behalf of a call', result: 'the model\'s message', topic: 'sampling' },
  'roots/list': { request: 'the server asks which filesystem roots the client exposes', result: 'the roots', topic: 'roots' },
  'notifications/roots/list_changed': { notification: 'the client\'s roots changed', topic: 'roots' },
  'tasks/get': { request: 'the client asks for a task\'s status', result: 'the task\'s status', topic: 'tasks' },
  'tasks/result': { request: 'the client waits for a task\'s result', result: 'the result of the task\'s request', topic: 'tasks' },
  'tasks/list': { request: 'the client lists its tasks', result: 'the tasks (a page of them)', topic: 'tasks' },
  'tasks/cancel': { request: 'the client cancels a task', result: 'the task, now cancelled', topic: 'tasks' },
  'tasks/update': { request: 'the client answers a task that needs input', result: 'the task', topic: 'tasks' },
  'notifications/tasks/status': { notification: 'a task changed status', topic: 'tasks' },
  'notifications/tasks': { notification: 'a task changed status (2026-07-28 tasks extension, on a listen naming the task)', topic: 'tasks' },
  'subscriptions/listen': { request: 'the client opens a stream for the notifications it asks for (list changes, resource updates)', result: 'the subscription ended', topic: 'subscriptions' },
  'notifications/subscriptions/acknowledged': { notification: 'the server confirms a subscription and what it will send', topic: 'subscriptions' },
};

/** The explanation and spec topic for a message of `method` of `kind`. */
export function meaningOf(method: string | undefined, kind: 'request' | 'response' | 'error' | 'notification'): { explain: string; topic?: SpecTopic } {
  const m = method === undefined ? undefined : MEANINGS[method];
  if (!m) {
    if (kind === 'error') return { explain: 'the request failed (a JSON-RPC error)', topic: 'messages' };
    return { explain: method ? `${method} (not a method this tracer knows)` : 'a message the tracer cannot place' };
  }
  const text = kind === 'request' ? m.request : kind === 'notification' ? m.notification : kind === 'response' ? m.result : undefined;
  if (kind === 'error') return { explain: `${method} failed (a JSON-RPC error)`, topic: m.topic };
  return { explain: text ?? method!, topic: m.topic };
}
