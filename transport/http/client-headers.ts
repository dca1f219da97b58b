/**
 * The request headers of the HTTP client transport: the user's own, then the protocol's,
 * which win. POST headers are built once per session id and protocol version and reused
 * (the transport's fetch adapter hands a fetch a copy), so a call builds none.
 */

/** The session state the protocol's headers carry. */
export interface HeaderState {
  readonly sessionId: string | undefined;
  readonly protocolVersion: string | undefined;
}

/** Headers for each kind of request of one transport. */
export interface RequestHeaders {
  /** The user's own headers, names in lower case. */
  readonly user: Readonly<Record<string, string>>;
  /** For a POST: the same object while the session id and version stay the same. */
  post(state: HeaderState): Readonly<Record<string, string>>;
  /** For a GET stream, resuming from `lastEventId` when given. */
  get(state: HeaderState, lastEventId?: string): Record<string, string>;
  delete(state: HeaderState): Record<string, string>;
}

/** Create the headers of a transport whose user gave `user` (any case). */
export function createRequestHeaders(user: Readonly<Record<string, string>> = {}): RequestHeaders {
  const own: Record<string, string> = {};
  for (const [name, value] of Object.entries(user)) own[name.toLowerCase()] = value;
  let cached: { state: HeaderState; headers: Record<string, string> } | undefined;

  function build(method: 'POST' | 'GET' | 'DELETE', state: HeaderState, lastEventId?: string): Record<string, string> {
    const headers: Record<string, string> = { ...own };
    // 2025-11-25 basic/transports: POST accepts both JSON and SSE; GET accepts SSE.
    if (method === 'POST') {
      headers.accept = 'application/json, text/event-stream';
      headers['content-type'] = 'application/json';
    } else if (method === 'GET') headers.accept = 'text/event-stream';
    // 2025-11-25 basic/transports, session management: the id goes on every later request.
    if (state.sessionId !== undefined) headers['mcp-session-id'] = state.sessionId;
    // 2025-06-18+ basic/transports: MCP-Protocol-Version on every request after initialize.
    if (state.protocolVersion !== undefined) headers['mcp-protocol-version'] = state.protocolVersion;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    return headers;
  }

  return {
    user: own,
    post(state) {
      if (cached === undefined || cached.state.sessionId !== state.sessionId || cached.state.protocolVersion !== state.protocolVersion) {
        cached = { state: { sessionId: state.sessionId, protocolVersion: state.protocolVersion }, headers: build('POST', state) };
      }
      return cached.headers;
    },
    get: (state, lastEventId) => build('GET', state, lastEventId),
    delete: (state) => build('DELETE', state),
  };
}
