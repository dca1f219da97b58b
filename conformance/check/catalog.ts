/**
 * Every rule `mcpwire check` knows, by stable id. Ids never change meaning; a retired rule
 * keeps its id unused. Sections name the spec page the rule rests on (2025-11-25 for the
 * legacy era, 2026-07-28 for the modern one).
 */
import type { RuleDef } from './findings.ts';

const L = '2025-11-25';
const M = '2026-07-28';

/** The rule catalog: id -> severity, section, title, fix hint. */
export const RULE_CATALOG = {
  // Messages (the schema tap and the rules no schema states)
  'schema.message': { severity: 'MUST', section: `${L}/${M} schema.json`, title: 'every message matches the spec schema of the negotiated version', fix: 'build the message to the schema definition named in the finding' },
  'jsonrpc.id-not-null': { severity: 'MUST', section: `${L} basic/index: requests`, title: 'request ids are strings or integers, never null', fix: 'give every request a string or integer id' },
  'jsonrpc.id-unique': { severity: 'MUST', section: `${L} basic/index: requests`, title: 'a sender never reuses a request id in a session', fix: 'draw request ids from a counter per session' },
  'jsonrpc.response-correlation': { severity: 'MUST', section: `${L} basic/index: responses`, title: 'a response carries the id of an outstanding request', fix: 'answer with the id of the request being answered, once' },
  'jsonrpc.method-not-found': { severity: 'MUST', section: `${L} basic/index: messages follow JSON-RPC 2.0 (its §5.1: -32601 Method not found)`, title: 'a request for a method the server does not have gets an error with code -32601', fix: 'answer unknown methods with {"error":{"code":-32601,"message":"Method not found"}}' },
  'jsonrpc.result-xor-error': { severity: 'MUST', section: `${L} basic/index: responses (JSON-RPC 2.0 §5: "both members MUST NOT be included")`, title: 'a response carries either result or error, never both', fix: 'send result on success and error on failure; leave the other member out (not even "error": null)' },
  'jsonrpc.batch': { severity: 'MUST', section: `${L} basic/index`, title: 'no JSON-RPC batches where the version has none', fix: 'send one message per POST or line' },
  'progress.increases': { severity: 'MUST', section: `${L} basic/utilities/progress`, title: 'progress increases with each notification of a token', fix: 'send a larger progress value each time' },
  'progress.token': { severity: 'MUST', section: `${L} basic/utilities/progress`, title: 'progress notifications name a token of an active request', fix: 'only send progress for the progressToken the request carried, until its response' },
  'result.result-type': { severity: 'MUST', section: `${M} basic/index: resultType`, title: 'modern results carry a known resultType', fix: 'set resultType to "complete" (or "input_required")' },
  'result.input-required': { severity: 'MUST', section: `${M} basic/mrtr`, title: 'InputRequiredResult only answers tools/call, prompts/get, resources/read and carries inputRequests or requestState', fix: 'return input_required only from those methods, with inputRequests' },
  'cancellation.no-response': { severity: 'SHOULD', section: `${L} basic/utilities/cancellation ("SHOULD ... not send a response for the cancelled request"); ${M} schema CancelledNotification (stdio: notifications/cancelled, also ending a subscriptions/listen)`, title: 'a request cancelled while it runs gets no response (a tool call; over stdio in 2026-07-28 also a listen the client ended)', fix: 'on notifications/cancelled, abort the handler and drop its result instead of sending it' },
  'ping.answer': { severity: 'MUST', section: `${L} basic/utilities/ping`, title: 'ping is answered promptly with an empty result', fix: 'answer ping with {"result":{}} at any time after initialize' },
  'lifecycle.version': { severity: 'MUST', section: `${L} basic/lifecycle: version negotiation`, title: 'the server answers initialize with a version it supports (the requested one when it can)', fix: 'answer the requested protocolVersion when supported, else your latest' },
  'lifecycle.order': { severity: 'SHOULD', section: `${L} basic/lifecycle: initialization`, title: 'no server requests other than ping/logging before notifications/initialized', fix: 'wait for notifications/initialized before sending requests' },
  'capability.gating': { severity: 'MUST', section: `${L} basic/lifecycle: operation`, title: 'the server only uses capabilities it declared', fix: 'declare the capability in initialize (or stop sending its messages)' },
  'capability.client-gating': { severity: 'MUST', section: `${L} basic/lifecycle: operation; client/elicitation, client/sampling, client/roots`, title: 'the server sends elicitation, sampling and roots requests only to a client that declared the capability', fix: 'check the client capabilities from initialize before asking; answer the call without asking (or with an error) otherwise' },
  // Driver: the server's surface
  'pagination.cursor': { severity: 'SHOULD', section: `${L} server/utilities/pagination: implementation guidelines (stable cursors)`, title: 'a nextCursor given back pages on to the end: never refused, never a loop', fix: 'accept every cursor you hand out until the listing ends, and end it (no nextCursor) after the last page' },
  'tools.valid-call': { severity: 'info', section: `${L} server/tools: calling tools`, title: 'each tool answers a call with generated valid arguments', fix: 'check the tool accepts every input its inputSchema allows' },
  'tools.invalid-arguments': { severity: 'SHOULD', section: `${L} server/tools: error handling`, title: 'invalid arguments get an isError result or -32602, never a crash', fix: 'validate arguments against inputSchema and answer isError: true' },
  'tools.unique-names': { severity: 'SHOULD', section: `${L} server/tools: tool names`, title: 'tools/list names each tool once', fix: 'give every tool a name of its own; a client cannot tell two tools of one name apart' },
  'tools.structured-content': { severity: 'MUST', section: `${L} server/tools: output schema`, title: 'a tool with outputSchema returns structuredContent that conforms', fix: 'return structuredContent matching outputSchema' },
  'tools.unknown-tool': { severity: 'SHOULD', section: `${L} server/tools: error handling (unknown tools are protocol errors)`, title: 'tools/call of a tool the server does not have gets a JSON-RPC error, not a result', fix: 'answer {"error":{"code":-32602,"message":"Unknown tool: ..."}}; keep isError for failures of a tool that exists' },
  'tools.structured-text': { severity: 'SHOULD', section: `${L} server/tools: structured content`, title: 'a result with structuredContent also carries a text block (the serialized JSON)', fix: 'add {"type":"text","text":JSON.stringify(structuredContent)} to content' },
  'tools.destructive-skipped': { severity: 'info', section: `${L} server/tools: annotations`, title: 'tools flagged destructive are only called with --allow-destructive', fix: 'pass --allow-destructive to call them' },
  'resources.read': { severity: 'info', section: `${L} server/resources: reading`, title: 'each listed resource can be read', fix: 'serve every resource resources/list names' },
  'resources.unknown-uri': { severity: 'SHOULD', section: `${L} server/resources: error handling (-32002); ${M} (SEP-2164: -32602)`, title: 'resources/read of an unknown URI gets the not-found error: -32002 or -32602 (2025-11-25), -32602 (2026-07-28)', fix: 'answer {"error":{"code":-32602,"message":"Resource not found","data":{"uri":...}}} (-32002 in 2025-11-25 sessions also passes)' },
  'prompts.get': { severity: 'info', section: `${L} server/prompts: getting a prompt`, title: 'each prompt answers prompts/get with its required arguments', fix: 'serve every prompt prompts/list names' },
  'completion.complete': { severity: 'info', section: `${L} server/utilities/completion`, title: 'completion/complete answers for prompt arguments', fix: 'answer completion/complete with a (possibly empty) values list' },
  'logging.set-level': { severity: 'info', section: `${L} server/utilities/logging`, title: 'logging/setLevel accepts every level', fix: 'accept the eight syslog levels' },
  'resources.subscribe': { severity: 'info', section: `${L} server/resources: subscriptions`, title: 'resources/subscribe and unsubscribe answer', fix: 'answer subscribe/unsubscribe with an empty result' },
  // Legacy Streamable HTTP (2025-11-25 basic/transports)
  'http.post-accept': { severity: 'SHOULD', section: `${L} basic/transports: sending messages (the client MUST list both; the spec names no refusal status, 406 is the HTTP one)`, title: 'a POST whose Accept lacks text/event-stream is refused (406)', fix: 'answer 406 when Accept does not list both application/json and text/event-stream' },
  'http.post-content-type': { severity: 'SHOULD', section: `${L} basic/transports: sending messages (no rule on the request Content-Type; 415 is the HTTP refusal)`, title: 'a POST body that is not application/json is refused (415)', fix: 'answer 415 to bodies that are not application/json' },
  'http.parse-error': { severity: 'SHOULD', section: `${L} basic/transports: sending messages`, title: 'an unparsable body gets 400 (its body MAY be a -32700 error)', fix: 'answer 400, ideally with {"error":{"code":-32700}}' },
  'http.notification-202': { severity: 'MUST', section: `${L} basic/transports: sending messages`, title: 'an accepted notification POST gets 202 with no body', fix: 'answer 202 Accepted with an empty body' },
  'http.response-content-type': { severity: 'MUST', section: `${L} basic/transports: sending messages`, title: 'a request POST is answered application/json or text/event-stream', fix: 'reply with one of the two content types' },
  'http.session-id-format': { severity: 'MUST', section: `${L} basic/transports: session management`, title: 'the session id holds only visible ASCII (0x21-0x7E)', fix: 'mint ids from visible ASCII, e.g. a UUID' },
  'http.session-required': { severity: 'SHOULD', section: `${L} basic/transports: session management`, title: 'a request without the session id gets 400', fix: 'answer 400 to non-initialize requests lacking Mcp-Session-Id' },
  'http.session-unknown': { severity: 'MUST', section: `${L} basic/transports: session management`, title: 'an unknown or ended session id gets 404', fix: 'answer 404 to session ids you do not hold' },
  'http.delete-session': { severity: 'MUST', section: `${L} basic/transports: session management`, title: 'DELETE ends the session (later requests get 404) or is refused with 405', fix: 'end the session on DELETE, or answer 405' },
  'http.get-stream': { severity: 'MUST', section: `${L} basic/transports: listening for messages`, title: 'GET is answered text/event-stream or 405', fix: 'open an SSE stream on GET, or answer 405' },
  'http.get-no-response': { severity: 'MUST', section: `${L} basic/transports: listening for messages`, title: 'the standalone GET stream carries no JSON-RPC responses', fix: 'send responses on the stream of the POST they answer' },
  'http.get-conflict': { severity: 'SHOULD', section: `${L} basic/transports: listening for messages (no status named; 409 is the HTTP conflict)`, title: 'a second standalone GET in one session opens a stream or is refused with 409', fix: 'serve the second GET, or answer 409 Conflict while the first stream is open' },
  'http.body-too-large': { severity: 'SHOULD', section: `${L} basic/transports: sending messages (no limit named; RFC 9110 15.5.14 413 Content Too Large)`, title: 'a POST body above the server\'s limit gets 413', fix: 'answer 413 to bodies above your limit, without reading them whole' },
  'http.protocol-version-header': { severity: 'MUST', section: `${L} basic/transports: protocol version header`, title: 'an unsupported MCP-Protocol-Version gets 400', fix: 'answer 400 when the header names a version you do not support' },
  'http.origin': { severity: 'MUST', section: `${L} basic/transports: security warning`, title: 'a request with a foreign Origin gets 403', fix: 'validate Origin and answer 403 to unknown ones' },
  'http.sse-event-ids': { severity: 'MUST', section: `${L} basic/transports: resumability`, title: 'SSE event ids are unique across the streams of a session', fix: 'make event ids unique per session (e.g. stream id + counter)' },
  'http.resume-exactly-once': { severity: 'SHOULD', section: `${L} basic/transports: resumability`, title: 'resuming with Last-Event-ID replays what followed, each message once', fix: 'replay the events after the given id on that stream, none twice, none lost' },
  'http.resume-cross-stream': { severity: 'MUST', section: `${L} basic/transports: resumability`, title: 'a resume never replays messages of another stream or session', fix: 'scope Last-Event-ID lookups to the stream and session it came from' },
  // Modern Streamable HTTP and era (2026-07-28)
  'modern.discover': { severity: 'MUST', section: `${M} basic/lifecycle: server/discover`, title: 'server/discover answers with supportedVersions, capabilities and caching fields', fix: 'implement server/discover' },
  'modern.headers': { severity: 'MUST', section: `${M} basic/transports/streamable-http: headers`, title: 'a missing or mismatched Mcp-Method / Mcp-Name gets 400 with -32020', fix: 'compare the headers with the body and answer 400 HeaderMismatch' },
  'modern.unsupported-version': { severity: 'MUST', section: `${M} basic/versioning`, title: 'an unsupported version gets 400 with -32022 listing supported versions', fix: 'answer -32022 with data.supported' },
  'modern.unknown-method': { severity: 'MUST', section: `${M} basic/transports/streamable-http: status codes`, title: 'an unknown method gets 404 with -32601', fix: 'answer 404 with a -32601 JSON-RPC error' },
  'modern.removed-methods': { severity: 'MUST', section: `${M} changelog: removed methods`, title: 'methods removed in 2026-07-28 (ping, logging/setLevel, resources/subscribe) are unknown in modern requests', fix: 'answer -32601 to removed methods in modern requests' },
  'modern.no-session': { severity: 'SHOULD', section: `${M} basic/transports/streamable-http: legacy traffic`, title: 'modern responses carry no Mcp-Session-Id', fix: 'never mint or echo a session id in the modern era' },
  'modern.caching': { severity: 'MUST', section: `${M} server/tools: caching`, title: 'list results carry ttlMs and cacheScope', fix: 'add ttlMs (>= 0) and cacheScope to list results' },
  'modern.input-rounds': { severity: 'SHOULD', section: `${M} basic/patterns/mrtr`, title: 'a call answered input_required completes once its input requests are answered (requestState echoed)', fix: 'read inputResponses and requestState on the retry and complete the call, or ask only for what is still missing' },
  'modern.input-gating': { severity: 'MUST', section: `${M} basic/patterns/mrtr`, title: 'inputRequests only name methods the client declared a capability for', fix: 'check the request\'s clientCapabilities before asking for elicitation, sampling or roots' },
  'modern.discover-capabilities': { severity: 'MUST', section: `${M} server/tools, server/prompts, server/resources: capabilities ("servers that support ... MUST declare"); basic/lifecycle: server/discover`, title: 'server/discover declares exactly the lists the server serves: a declared list answers, an undeclared one is refused', fix: 'declare tools, prompts and resources in server/discover when you serve them, and only then' },
  'modern.listen-ack': { severity: 'MUST', section: `${M} basic/patterns/subscriptions; schema SubscriptionsAcknowledgedNotification`, title: 'a subscriptions/listen stream begins with notifications/subscriptions/acknowledged', fix: 'send the acknowledgement (with the granted filter) as the stream\'s first message, before any notification' },
  'modern.listen-subscription-id': { severity: 'MUST', section: `${M} basic/patterns/subscriptions; schema NotificationMetaObject`, title: 'every notification on a listen stream carries _meta io.modelcontextprotocol/subscriptionId: the listen request\'s id', fix: 'stamp each notification of the stream, the acknowledgement included, with the id of the subscriptions/listen request' },
  'modern.listen-filter': { severity: 'MUST', section: `${M} basic/patterns/subscriptions; schema SubscriptionFilter ("MUST NOT send notification types the client has not explicitly requested")`, title: 'a listen stream carries only the notification types the client asked for, and its acknowledgement grants no more', fix: 'grant a subset of the filter, and deliver only the kinds (and URIs, task ids) granted' },
  // The tasks extension (io.modelcontextprotocol/tasks, SEP-2663)
  'tasks.unknown-id': { severity: 'MUST', section: `${L} basic/utilities/tasks: error handling (-32602 for a nonexistent taskId); ${M} ext-tasks tasks/get`, title: 'tasks/get of a task id the server never minted gets -32602', fix: 'answer {"error":{"code":-32602,"message":"Task not found"}} to unknown (and foreign) task ids' },
  'tasks.terminal-final': { severity: 'MUST', section: `${L} basic/utilities/tasks: task status lifecycle (terminal states are final); ${M} ext-tasks (task status diagram; task cancellation is cooperative)`, title: 'a task in a terminal status (completed, failed, cancelled) never changes status or result, a tasks/cancel after its end included', fix: 'once a task is terminal, store it as is and answer every later tasks/get with the same status and result' },
  // Authorization
  'auth.challenge': { severity: 'MUST', section: `${L} basic/authorization: protected resource metadata discovery`, title: 'a 401 carries WWW-Authenticate: Bearer with resource_metadata', fix: 'add WWW-Authenticate: Bearer resource_metadata="..."' },
  'auth.prm': { severity: 'MUST', section: `${L} basic/authorization (RFC 9728)`, title: 'the protected resource metadata names the resource and its authorization servers', fix: 'serve /.well-known/oauth-protected-resource with resource and authorization_servers' },
  // stdio
  'stdio.stdout-messages': { severity: 'MUST', section: `${L} basic/transports: stdio`, title: 'stdout carries only JSON-RPC messages, one per line', fix: 'write logs to stderr, never stdout' },
  'stdio.embedded-newline': { severity: 'MUST', section: `${L} basic/transports: stdio`, title: 'a message on stdout holds no embedded newline (one message, one line)', fix: 'serialize each message on one line (no pretty-printing), then write a newline' },
  'stdio.framing-input': { severity: 'MUST', section: `${L} basic/transports: stdio`, title: 'newlines delimit the messages read from stdin, not reads: a split message and several per write are all handled', fix: 'buffer stdin until a newline and handle each complete line' },
  'stdio.stderr': { severity: 'info', section: `${L} basic/transports: stdio`, title: 'stderr is the server\'s log; the check never counts it against the server', fix: 'nothing: logging on stderr is allowed' },
  'stdio.exit-on-eof': { severity: 'SHOULD', section: `${L} basic/transports: stdio (shutdown); basic/lifecycle: shutdown`, title: 'the server exits once its stdin closes', fix: 'exit when stdin ends (after answering what is in flight)' },
  // Client under test (mcpwire plays a scripted server)
  'client.schema': { severity: 'MUST', section: `${L}/${M} schema.json`, title: 'every message the client sends matches the spec schema', fix: 'build the message to the schema definition named in the finding' },
  'client.initialize-first': { severity: 'MUST', section: `${L} basic/lifecycle: initialization`, title: 'the first request of a session is initialize, followed by notifications/initialized', fix: 'send initialize, then notifications/initialized, before anything else' },
  'client.accept': { severity: 'MUST', section: `${L} basic/transports: sending messages`, title: 'every POST lists application/json and text/event-stream in Accept', fix: 'send Accept: application/json, text/event-stream' },
  'client.session-id': { severity: 'MUST', section: `${L} basic/transports: session management`, title: 'after initialize, every request carries the session id', fix: 'send the Mcp-Session-Id from the InitializeResult on every later request' },
  'client.protocol-version-header': { severity: 'MUST', section: `${L} basic/transports: protocol version header`, title: 'after initialize, every request carries MCP-Protocol-Version with the negotiated version', fix: 'send MCP-Protocol-Version: <negotiated version> on every later request' },
  'client.reinitialize': { severity: 'MUST', section: `${L} basic/transports: session management`, title: 'after a 404 for its session, the client initializes anew without a session id', fix: 'on 404, send a new initialize without Mcp-Session-Id' },
  'client.capability-gating': { severity: 'MUST', section: `${L} basic/lifecycle: operation`, title: 'the client only calls what the server declared', fix: 'check the server capabilities before calling prompts/*, resources/*, logging/*, completion/*' },
  'client.answers': { severity: 'SHOULD', section: `${L} client/elicitation, client/sampling, client/roots`, title: 'the client answers the server requests of the capabilities it declared', fix: 'answer elicitation/create, sampling/createMessage and roots/list (an error is an answer)' },
  'client.resume': { severity: 'SHOULD', section: `${L} basic/transports: resumability and redelivery`, title: 'a client whose SSE stream is cut resumes it with GET and Last-Event-ID', fix: 'on a lost stream, GET the endpoint with Last-Event-ID: <last id seen>' },
  'client.retry-wait': { severity: 'MUST', section: `${L} basic/transports: sending messages ("The client MUST respect the retry field, waiting the given number of milliseconds before attempting to reconnect")`, title: 'a client whose SSE stream was cut waits the server\'s retry before it resumes', fix: 'read the retry field of the stream and wait that many ms before the GET with Last-Event-ID' },
  'client.modern-headers': { severity: 'MUST', section: `${M} basic/transports/streamable-http: headers`, title: 'each modern POST carries MCP-Protocol-Version, Mcp-Method and Mcp-Name matching its body', fix: 'set the headers from the body you send: version from _meta, the method, the tool/prompt name or resource URI' },
  'client.request-state': { severity: 'MUST', section: `${M} basic/patterns/mrtr`, title: 'a retry echoes the requestState the server gave, byte for byte, and never invents one', fix: 'copy requestState from the InputRequiredResult into the retry unchanged; send none when none was given' },
  'client.url-elicitation': { severity: 'info', section: `${L} client/elicitation: URL mode`, title: 'a client that declares URL-mode elicitation is asked for one (its answer is held to client.schema and client.answers)', fix: 'answer elicitation/create in URL mode with accept, decline or cancel and no content' },
  'client.exit': { severity: 'info', section: '(command)', title: 'the client command exits 0', fix: 'see the command output' },
  // Run-level
  'run.reachable': { severity: 'MUST', section: `${L} basic/lifecycle`, title: 'the server can be reached and initialized', fix: 'check the URL or command, and that initialize succeeds' },
} as const satisfies Record<string, RuleDef>;

/** A rule id of the catalog. */
export type RuleId = keyof typeof RULE_CATALOG;

/** Every rule id, in catalog order. */
export const RULE_IDS = Object.keys(RULE_CATALOG) as RuleId[];

/** True when `value` is a rule id of the catalog. */
export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(RULE_CATALOG, value);
}
