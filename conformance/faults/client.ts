/**
 * Clients for `mcpwire check --client`: mcpwire's own client (mode `good`) and broken ones,
 * one defect each. Usage: node --import tsx conformance/faults/client.ts <mode> <url>.
 * It lists the tools, calls each, then lists again (after the server expired the session).
 */
import { fileURLToPath } from 'node:url';
import { createClient, createHttpClientTransport, type FetchLike } from 'mcpwire/client';

/** Each mode and the rule `mcpwire check --client` must fail for it (none for `good`). */
export const CLIENT_FAULTS = {
  good: undefined,
  /** Calls tools without a progressToken: check_progress's cut stream had only its priming event. */
  'good-no-progress': undefined,
  'no-version-header': 'client.protocol-version-header',
  'no-reinitialize': 'client.reinitialize',
  'bad-elicit-answer': 'client.schema',
  'prompts-uninvited': 'client.capability-gating',
  'no-resume': 'client.resume',
  /** Never sends notifications/initialized (the POST is dropped before it leaves). */
  'no-initialized': 'client.initialize-first',
  /** Answers sampling/createMessage with a result whose role is not a spec role. */
  'bad-sample-answer': 'client.schema',
  /** Its answers to the server's requests also carry "error": null. */
  'answer-error-null': 'jsonrpc.result-xor-error',
  /** Lists its root as an https:// URL (a workspace kept on the web), edited on the wire past our client's own roots. */
  'roots-not-file': 'client.roots-file-uri',
  /** 2026-07-28 from here on: the scripted server answers in the client's era. */
  'modern-good': undefined,
  'modern-forged-state': 'client.request-state',
  'modern-wrong-name': 'client.modern-headers',
  /** Retries an input round with the id of the request that was answered input_required. */
  'modern-retry-same-id': 'client.retry-new-id',
  /** Sends no Mcp-Param-* header: the region it gives check_region is not mirrored (a transport that knows only the standard headers). */
  'modern-no-param-header': 'client.param-headers',
  /** Reads tool schemas without their x-mcp-header marks, so it keeps (and calls) a tool it must drop. */
  'modern-keeps-bad-header': 'client.invalid-param-header',
  /** Its requests after server/discover leave the _meta protocol version out (the header still names it). */
  'modern-no-meta-version': 'client.schema',
  /** Polls its task every 20 ms whatever pollIntervalMs the server suggests (a caller's own pause put first). */
  'modern-task-hasty-poll': 'client.task-poll-interval',
  /** Reads the task id where 2025-11-25 put it (`result.task.taskId`), finds none, and polls with tasks/get {} (a client ported from 2025-11-25). */
  'modern-task-get-no-id': 'client.schema',
  /** Answers each input request of an InputRequiredResult as a JSON-RPC response too (id: the request's key), then retries (a client ported from 2025-11-25). */
  'modern-answers-input': 'client.modern-response',
  /** As roots-not-file, in a retry's inputResponses. */
  'modern-roots-not-file': 'client.roots-file-uri',
  /** Reads its task once more after the call's result came (a status display that refreshes on its own); info only. */
  'modern-task-polls-after-end': undefined,
  /** Never reads the SSE retry field: resumes a cut stream at once. */
  'ignores-retry': 'client.retry-wait',
  /** Two tools/call POSTs in flight at once with one id (a counter shared without care). */
  'reuses-id-in-flight': 'jsonrpc.id-unique',
  /** Reads a server request with the id 0 as a notification (`if (!msg.id)`), so never answers it. */
  'zero-id-unanswered': 'jsonrpc.zero-id',
  /** Once connected, cancels every request it sent, initialize too (a cleanup that walks its whole id log). */
  'cancels-initialize': 'client.cancel-initialize',
  /** Declares sampling without tools, and its SSE reader drops "tools" and "toolChoice" from sampling requests, so it answers one that offers tools. */
  'undeclared-tools-answered': 'client.sampling-tools-undeclared',
  /** Declares sampling.tools, but its reader drops toolChoice: its model, which uses an offered tool unless told "none", uses one under "none". */
  'modern-tool-choice-ignored': 'client.sampling-tool-choice',
  /** Declares sampling.tools; its model's tool_use goes out naming get_weather, the tool it was trained with, not the one offered (edited after our client's check). */
  'modern-tool-use-unoffered': 'client.sampling-tool-use',
  /** Declares sampling.tools; its model's tool_use of check_weather goes out with the input {"city":5} (a number where the inputSchema says string). */
  'modern-tool-use-bad-input': 'client.sampling-tool-use',
  /** 2026-07-28 with sampling declared without tools: mcpwire's own client, which ends the call the check offers tools in. */
  'modern-no-tools': undefined,
  /** The same, but its reader drops "tools" and "toolChoice", and its model never answers that request (no bound on the model's call): the call hangs, never retried, never ended. */
  'modern-undeclared-stalls': 'client.sampling-tools-undeclared',
  /** Resolves the $refs of each listed tool schema as a validator with remote loading on does: it GETs every http(s) one. */
  'fetches-network-ref': 'client.network-ref',
  /** The same in 2026-07-28. */
  'modern-fetches-network-ref': 'client.network-ref',
} as const;
export type ClientMode = keyof typeof CLIENT_FAULTS;

/** `response` with the `retry:` lines of its SSE body taken out. */
function withoutRetry(response: Response): Response {
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) return response;
  const body = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new TransformStream<string, string>({
    transform: (text, out) => out.enqueue(text.replace(/^retry:[^\n]*\n/gm, '')),
  })).pipeThrough(new TextEncoderStream());
  return new Response(body, { status: response.status, headers: response.headers });
}

/** `response` with `edit` applied to each whole line of its SSE body (a line is never split between two edits). */
function editLines(response: Response, edit: (line: string) => string): Response {
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) return response;
  let held = '';
  const body = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new TransformStream<string, string>({
    transform(text, out) {
      const lines = (held + text).split('\n');
      held = lines.pop()!;
      if (lines.length > 0) out.enqueue(lines.map((line) => `${edit(line)}\n`).join(''));
    },
    flush(out) { if (held !== '') out.enqueue(edit(held)); },
  })).pipeThrough(new TextEncoderStream());
  return new Response(body, { status: response.status, headers: response.headers });
}

/** `response` (an SSE stream or a JSON body) with `edit` applied to its text. */
async function editBody(response: Response, edit: (text: string) => string): Promise<Response> {
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) return new Response(edit(await response.text()), { status: response.status, headers: response.headers });
  return editLines(response, edit);
}

/** A reader that knows only the messages of sampling requests: the tools the check offers (client-sampling-tools.ts) and the toolChoice go unread. */
const dropSamplingTools = (text: string): string => text.replace(/,"tools":\[\{"name":"check_weather".*?\],"toolChoice":\{"mode":"auto"\}/g, '');
/** A reader that drops toolChoice "none": the model sees tools it may use. */
const dropToolChoiceNone = (text: string): string => text.replaceAll(',"toolChoice":{"mode":"none"}', '');

/** `response` with each server request of id 0 turned into a notification (the id read as absent). */
function zeroIdDropped(response: Response): Response {
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) return response;
  const body = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new TransformStream<string, string>({
    transform: (text, out) => out.enqueue(text.replaceAll('"id":0,"method":', '"method":')),
  })).pipeThrough(new TextEncoderStream());
  return new Response(body, { status: response.status, headers: response.headers });
}

/** `response` read whole, after a GET of each http(s) `$ref` in it (the schema loader of a validator with remote references on). */
async function fetchingRefs(response: Response): Promise<Response> {
  const text = await response.text();
  for (const [, url] of text.matchAll(/"\$ref":"(https?:[^"]+)"/g)) await fetch(url!).then((r) => r.text());
  return new Response(text, { status: response.status, headers: response.headers });
}

/** 2026-07-28 modes that declare sampling without tools (client.sampling-tools-undeclared); the other 2026-07-28 modes declare sampling.tools. */
const TOOLS_UNDECLARED: ReadonlySet<ClientMode> = new Set(['modern-no-tools', 'modern-undeclared-stalls']);

async function main(mode: ClientMode, url: string): Promise<void> {
  let firstRound: unknown; // modern-retry-same-id: the id of the call's first round
  let initializeId: unknown; // cancels-initialize: the id of its initialize request
  const fetchLike: FetchLike = async (target, init) => {
    const headers = { ...init.headers };
    if (mode === 'no-version-header') delete headers['mcp-protocol-version'];
    if (mode === 'modern-no-param-header') for (const name of Object.keys(headers)) if (name.startsWith('mcp-param-')) delete headers[name];
    let body = init.body;
    if (body?.includes('"method":"initialize"')) initializeId = (JSON.parse(body) as { id: unknown }).id;
    // A retry whose requestState is not the one given (a client that rebuilds it).
    if (mode === 'modern-forged-state' && body?.includes('"requestState":"')) body = body.replace('"requestState":"', '"requestState":"forged');
    if (mode === 'modern-wrong-name' && headers['mcp-name'] !== undefined) headers['mcp-name'] = `${headers['mcp-name']}-other`;
    // A client that treats the retry as the same request: it reuses the first round's id.
    if (mode === 'modern-retry-same-id' && body?.includes('"method":"tools/call"')) {
      const message = JSON.parse(body) as { id: unknown; params?: Record<string, unknown> };
      if (message.params !== undefined && ('requestState' in message.params || 'inputResponses' in message.params)) body = JSON.stringify({ ...message, id: firstRound });
      else firstRound = message.id;
    }
    // A client that names the version once, in server/discover, and relies on the header after.
    if (mode === 'modern-no-meta-version' && body !== undefined && !body.includes('"method":"server/discover"')) {
      const message = JSON.parse(body) as { params?: { _meta?: Record<string, unknown> } };
      if (message.params?._meta !== undefined) delete message.params._meta['io.modelcontextprotocol/protocolVersion'];
      body = JSON.stringify(message);
    }
    // A 2025-11-25 reader of the CreateTaskResult: `result.task` is undefined in 2026-07-28, so is its taskId (JSON.stringify drops it).
    if (mode === 'modern-task-get-no-id' && body?.includes('"method":"tasks/get"')) {
      const message = JSON.parse(body) as { params: Record<string, unknown> };
      delete message.params.taskId;
      delete headers['mcp-name'];
      body = JSON.stringify(message);
    }
    // The 2025-11-25 habit kept: each input request is also answered as a server request would be,
    // by a response POSTed with the request's key as its id, before the retry carries the answers.
    if (mode === 'modern-answers-input' && body?.includes('"inputResponses"')) {
      const answers = (JSON.parse(body) as { params: { inputResponses: Record<string, unknown> } }).params.inputResponses;
      const { 'mcp-method': _method, 'mcp-name': _name, ...plain } = headers;
      for (const [key, result] of Object.entries(answers)) await fetch(target, { ...init, headers: plain, body: JSON.stringify({ jsonrpc: '2.0', id: key, result }) }).then((r) => r.text());
    }
    // A serializer that writes every field: answers carry "error": null next to their result.
    if (mode === 'answer-error-null' && body?.startsWith('{"jsonrpc":"2.0","id":') && body.includes('"result":')) body = body.replace(/}$/, ',"error":null}');
    // An elicitation answer with an action the schema does not allow.
    if ((mode === 'roots-not-file' || mode === 'modern-roots-not-file') && body !== undefined) body = body.replace('"uri":"file:///fault-client"', '"uri":"https://workspace.example/fault-client"');
    if (mode === 'bad-elicit-answer' && body?.includes('"action"')) body = body.replace('"action":"accept"', '"action":"maybe"');
    // A sampling answer with a role the schema does not allow (only sampling answers carry "model").
    if (mode === 'bad-sample-answer' && body?.includes('"model":"fault-client"')) body = body.replace('"role":"assistant"', '"role":"robot"');
    // A model's tool_use sent past the client's checks: another tool's name, or an input the offered tool's schema refuses.
    if (mode === 'modern-tool-use-unoffered' && body !== undefined) body = body.replace('"type":"tool_use","id":"fault-use-1","name":"check_weather"', '"type":"tool_use","id":"fault-use-1","name":"get_weather"');
    if (mode === 'modern-tool-use-bad-input' && body !== undefined) body = body.replace('"name":"check_weather","input":{}', '"name":"check_weather","input":{"city":5}');
    // A client that goes straight from initialize to its first request.
    if (mode === 'no-initialized' && body?.includes('"method":"notifications/initialized"')) return Promise.resolve(new Response(null, { status: 202 }));
    const sent = fetch(target, { ...init, headers, ...(body === undefined ? {} : { body }) });
    // A schema reader that never sees x-mcp-header marks: the invalid one is not noticed.
    if (mode === 'modern-keeps-bad-header' && body?.includes('"method":"tools/list"')) {
      return sent.then(async (r) => new Response((await r.text()).replaceAll(',"x-mcp-header":"Bad Header"', ''), { status: r.status, headers: r.headers }));
    }
    // An SSE reader that drops the retry field (and reconnects with no delay of its own, below).
    if (mode === 'zero-id-unanswered') return sent.then(zeroIdDropped);
    if (mode === 'undeclared-tools-answered' || mode === 'modern-undeclared-stalls') return sent.then((r) => editBody(r, dropSamplingTools));
    if (mode === 'modern-tool-choice-ignored') return sent.then((r) => editBody(r, dropToolChoiceNone));
    if ((mode === 'fetches-network-ref' || mode === 'modern-fetches-network-ref') && body?.includes('"method":"tools/list"')) return sent.then(fetchingRefs);
    return mode === 'ignores-retry' ? sent.then(withoutRetry) : sent;
  };
  const client = createClient({ name: `fault-client-${mode}`, version: '1.0.0' }, {
    elicitation: { modes: ['form', 'url'] },
    onElicit: (params) => (params.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: { name: 'check' } }),
    // A model that uses the first offered tool unless toolChoice is "none".
    onSample: (params) => (mode === 'modern-undeclared-stalls' && JSON.stringify(params.messages).includes('did not declare sampling.tools')
      ? new Promise<never>(() => { setInterval(() => undefined, 1_000); }) // a model call still open, holding the process
      : params.tools?.[0] !== undefined && params.toolChoice?.mode !== 'none'
      ? { role: 'assistant', content: { type: 'tool_use', id: 'fault-use-1', name: params.tools[0].name, input: {} }, model: 'fault-client', stopReason: 'toolUse' }
      : { role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'fault-client' }),
    // 2026-07-28 modes declare tool use in sampling (client.sampling-tool-choice); the others do not (client.sampling-tools-undeclared).
    ...(mode.startsWith('modern-') && !TOOLS_UNDECLARED.has(mode) ? { sampling: { tools: true } } : {}),
    roots: [{ uri: 'file:///fault-client', name: 'root' }],
    reinitializeOnExpiry: mode !== 'no-reinitialize',
    ...(mode.startsWith('modern-') ? { protocolVersion: '2026-07-28', era: 'modern' as const } : {}),
  });
  const transport = createHttpClientTransport({ url, fetch: fetchLike, ...(mode === 'no-resume' ? { reconnect: { maxAttempts: 0 } } : mode === 'ignores-retry' ? { reconnect: { initialDelayMs: 0 } } : {}) });
  await client.connect(transport);
  if (mode === 'prompts-uninvited') {
    // Past our own client's capability check: a raw POST the server never offered.
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': transport.sessionId ?? '', 'mcp-protocol-version': client.protocolVersion ?? '' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'uninvited', method: 'prompts/list', params: {} }),
    }).then((r) => r.text());
  }
  if (mode === 'cancels-initialize') {
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': transport.sessionId ?? '', 'mcp-protocol-version': client.protocolVersion ?? '' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: initializeId, reason: 'shutting down' } }),
    }).then((r) => r.text());
  }
  if (mode === 'reuses-id-in-flight') {
    // Past our own client's id counter: two raw calls at once, one id; each POST's stream is read to its end.
    const call = () => fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': transport.sessionId ?? '', 'mcp-protocol-version': client.protocolVersion ?? '' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'twice', method: 'tools/call', params: { name: 'check_progress', arguments: {} } }),
    }).then((r) => r.text());
    await Promise.all([call(), call()]);
  }
  const progress = mode === 'good-no-progress' ? {} : { onProgress: () => undefined };
  // check_region gets a value for its x-mcp-header argument (2026-07-28: mirrored in Mcp-Param-Region).
  for (const tool of await client.listTools()) await client.callTool(tool.name, tool.name === 'check_region' ? { region: 'eu-west' } : {}, { ...progress, timeoutMs: mode === 'modern-undeclared-stalls' ? 600_000 : 5_000 }).catch(() => undefined);
  await client.listTools().catch(() => undefined);
  await client.listTools().catch(() => undefined);
  if (mode.startsWith('modern-')) {
    // 2026-07-28 tasks extension: check_task becomes a task when the call declares it.
    let taskId: string | undefined;
    const polled = client.tasks.callTool('check_task', {}, { onTask: (task) => { taskId = task.taskId; }, ...(mode === 'modern-task-hasty-poll' ? { pollIntervalMs: 20 } : {}) });
    // Its polls are refused (-32602, no task id): the task is given up.
    await (mode === 'modern-task-get-no-id' ? polled.catch(() => undefined) : polled);
    if (mode === 'modern-task-polls-after-end' && taskId !== undefined) await client.tasks.get(taskId);
  }
  await client.close();
}

/** Run as a script (the test imports only the table above). */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, url] = process.argv.slice(2);
  if (mode === undefined || url === undefined || !(mode in CLIENT_FAULTS)) {
    process.stderr.write(`usage: client.ts <${Object.keys(CLIENT_FAULTS).join('|')}> <url>\n`);
    process.exit(2);
  }
  await main(mode as ClientMode, url);
}
