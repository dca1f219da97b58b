/**
 * Exchanges on Node requests: IncomingMessage -> InboundRequest, ServerReply -> ServerResponse,
 * no WHATWG objects on the way. Also the entry for servers mounted under a web framework
 * (`handler.node(req, res, body?)`): a framework's body parser may have read the request
 * stream already, so the parsed body can be handed over, and a consumed stream without one
 * is refused at once rather than waited on forever. Only Node *types* are imported here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeUtf8 } from '../../protocol/utf8.ts';
import { replyTo, streamOnlyHeader, type ExchangeServable, type InboundRequest, type ReplySink, type ServerReply } from './exchange.ts';
import { errorReply, notUtf8Reply } from './server-guards.ts';
import type { SseConnection, SseSink } from './sse-connection.ts';

/** A Node request listener that also takes the body a framework already parsed. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse, body?: unknown) => void;

/**
 * True once something else read the request body (a body parser ran before us): its
 * `'data'` and `'end'` were emitted already and will never come again.
 */
export function bodyConsumed(req: IncomingMessage): boolean {
  return req.readableEnded || req.readableDidRead;
}

/** The 400 for a POST whose stream was consumed and whose parsed body was not passed. */
export function consumedBodyReply(): ServerReply {
  return errorReply(400, 'Bad Request: the request body was already read (a body parser such as express.json() ran first) '
    + 'and no parsed body was passed; call handler.node(req, res, req.body)');
}

/**
 * The text of a pre-parsed body: a string or bytes as they are, anything else (the object a
 * JSON body parser made) serialized back to JSON. A function is not a body: frameworks call
 * middleware as `(req, res, next)`.
 */
export function preParsedText(body: unknown): string | undefined {
  if (body === undefined || body === null || typeof body === 'function') return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decodeUtf8(body); // throws NotUtf8Error
  return JSON.stringify(body);
}

/**
 * {@link preParsedText}, or false once bytes that are not UTF-8 were answered 400 -32700
 * (2025-11-25 basic/transports: messages MUST be UTF-8), as a streamed body is (readBody).
 */
export function preParsedTextOr400(body: unknown, res: ServerResponse): string | undefined | false {
  try {
    return preParsedText(body);
  } catch (error) {
    writeReply(notUtf8Reply(error), res); // rethrows anything but NotUtf8Error
    return false;
  }
}

/**
 * Serve one Node request with `servable`; `body` is a body a framework already parsed.
 * `own`: the request came to a server of ours (`listen`), whose listener nothing else wraps
 * (see {@link writeReply}).
 */
export function serveNode(servable: ExchangeServable, req: IncomingMessage, res: ServerResponse, body?: unknown, onError?: (error: Error) => void, own = false): void {
  // Bytes a framework read are checked as the stream's are (NodeRequest.text).
  const text = preParsedTextOr400(body, res);
  if (text === false) return;
  if (text === undefined && req.method === 'POST' && bodyConsumed(req)) {
    writeReply(consumedBodyReply(), res);
    return;
  }
  const request = new NodeRequest(req, res, text, own, onError);
  const to = servable.exchangeTo;
  // The request is its own reply sink: no closure, and with `exchangeTo` no promise, a request.
  if (to !== undefined && to.answersAs === servable.exchange) to.call(servable, request, request);
  else replyTo(servable.exchange(request), request);
}

/** Serve exchanges on Node requests; `servable.exchange` is read per request (it may be swapped). */
export function toExchangeListener(servable: ExchangeServable, onError?: (error: Error) => void): NodeListener {
  return (req, res, body) => serveNode(servable, req, res, body, onError);
}

/** {@link toExchangeListener} for `listen`'s own server (see {@link serveNode}'s `own`). */
export function ownExchangeListener(servable: ExchangeServable, onError?: (error: Error) => void): NodeListener {
  return (req, res, body) => serveNode(servable, req, res, body, onError, true);
}

/**
 * An {@link InboundRequest} over an IncomingMessage (Node lower-cases and joins header names),
 * and the {@link ReplySink} that writes its reply to the ServerResponse.
 */
class NodeRequest implements InboundRequest, ReplySink {
  readonly method: string;
  readonly path: string;
  #req: IncomingMessage;
  #res: ServerResponse;
  #body: string | undefined;
  #record: Record<string, string> | undefined;
  readonly #own: boolean;
  readonly #onError: ((error: Error) => void) | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, body: string | undefined, own: boolean, onError: ((error: Error) => void) | undefined) {
    this.#req = req;
    this.#res = res;
    this.#body = body;
    this.#own = own;
    this.#onError = onError;
    this.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    this.path = query === -1 ? url : url.slice(0, query);
  }

  replied(reply: ServerReply): void {
    writeReply(reply, this.#res, this.#own);
  }

  /** The exchange failed: reported, and a 500 unless the reply had begun. */
  failed(error: Error): void {
    this.#onError?.(error);
    const res = this.#res;
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end();
  }

  onClientGone(listener: () => void): void {
    const res = this.#res;
    if (res.writableEnded) return;
    // The response closes before it ended only when the connection went.
    if (res.destroyed) listener();
    else res.once('close', () => { if (!res.writableEnded) listener(); });
  }

  header(name: string): string | null {
    const headers = this.#req.headers;
    // A load site of its own for each name a POST reads (every call): each sees only the few
    // header sets clients send, where one keyed site for every name went megamorphic (~120
    // instructions a read, 6.5 reads a call in bench c: bench/README "Session 34: bytes6").
    const value = name === 'mcp-session-id' ? headers['mcp-session-id']
      : name === 'mcp-protocol-version' ? headers['mcp-protocol-version']
      : name === 'accept' ? headers.accept
      : name === 'content-type' ? headers['content-type']
      : name === 'content-length' ? headers['content-length']
      : name === 'host' ? headers.host
      : name === 'origin' ? headers.origin
      : headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  headerRecord(): Readonly<Record<string, string>> {
    if (this.#record) return this.#record;
    const headers = this.#req.headers;
    // Node makes an array of set-cookie only (`_http_incoming`'s `_addHeaderLine`), joining
    // every other repeated header: the record is Node's own object unless one is there. One
    // load where a walk of every header (a megamorphic load each) ran on every POST.
    if (headers['set-cookie'] === undefined) return (this.#record = headers as Record<string, string>);
    const record: Record<string, string> = {};
    for (const key in headers) record[key] = this.header(key) ?? '';
    return (this.#record = record);
  }

  text(maxBytes: number): Promise<string | null> {
    return new Promise((resolve, reject) => this.readText(maxBytes, (text, error) => (error === undefined ? resolve(text) : reject(error))));
  }

  readText(maxBytes: number, done: (text: string | null, error?: Error) => void): void {
    if (this.#body !== undefined) return done(Buffer.byteLength(this.#body) > maxBytes ? null : this.#body);
    const req = this.#req;
    const chunks: Buffer[] = [];
    let size = 0;
    // Once only: a body over the limit still ends (the rest is discarded) or closes after it.
    let open = true;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume(); // the rest is discarded, not buffered
      open = false;
      done(null);
    };
    // `on`, not `once`: the request is read once and dropped, and `once` costs a wrapper and a
    // removal per listener on every POST.
    req.on('data', onData);
    req.on('end', () => {
      if (!open) return;
      open = false;
      let text: string;
      try {
        text = decodeUtf8(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      } catch (error) {
        return done(null, error as Error); // NotUtf8Error: readBody answers it
      }
      done(text);
    });
    // No 'error' listener (one `on` less per POST, ~600 instructions in bench c): Node emits a
    // request's 'error' only when it has listeners (IncomingMessage's destroy), and 'close'
    // follows every destroy. `readableEnded`, not `complete`: a request whose bytes had all
    // come but whose 'end' had not yet been emitted when it was destroyed never ends either.
    req.on('close', () => {
      if (!open || req.readableEnded) return;
      open = false;
      done(null, new Error('the client closed the connection before its request body ended'));
    });
  }

  toRequest(): Request {
    const headers = new Headers();
    const raw = this.#req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    return new Request(`http://${this.#req.headers.host ?? 'localhost'}${this.#req.url ?? '/'}`, { method: this.method, headers });
  }
}

/**
 * Write a reply: a complete body in one write, an SSE connection piped as it sends. `own`:
 * `listen`'s server, where the request's headers object may be let go once a GET's stream runs.
 */
function writeReply(reply: ServerReply, res: ServerResponse, own = false): void {
  const conn = reply.sse;
  // An SSE reply already complete (a quick call) goes like a JSON one: head and body in one
  // write with a Content-Length, none of a stream's chunk framing, cork or listeners.
  const whole = conn?.takeEnded();
  if (!conn || whole !== undefined) {
    const body = whole ?? reply.body ?? '';
    const head = headList(reply.headers, conn !== undefined);
    head.push('content-length', String(Buffer.byteLength(body)));
    res.writeHead(reply.status, head);
    res.end(body);
    return;
  }
  coalesce(res);
  res.writeHead(reply.status, headList(reply.headers, false));
  // The head as a chunk of its own (the cork still sends it with the first events in one
  // write): Node keeps the head's string for the stream's life, and writing it alone
  // flattens its ~25 concatenated pieces; prefixed to an event they stay (bench g: ~0.5 KB
  // per open stream). An idle stream also owes the client its headers now.
  res.flushHeaders();
  const sink = new NodeSseSink(res, conn);
  // `on`, not `once`: a response closes once, and `once` keeps a wrapper, its state object
  // and a bound function for the stream's life (~170 B per idle session, bench g).
  res.on('close', () => {
    sink.uncount();
    conn.gone();
  });
  conn.pipe(sink);
  // A GET's stream (the standalone stream, open while its session idles) has been answered:
  // nothing of ours reads its headers again, but Node keeps the object it parsed them into for
  // the request's life (~100 B per idle session, bench g). Only on our own server, where no
  // application code could have changed that object; a later read rebuilds it from rawHeaders
  // (IncomingMessage's `headers` setter and getter).
  if (own && res.req.method === 'GET') (res.req as { headers: unknown }).headers = undefined;
}

/**
 * A reply's headers as Node's flat `[name, value, ...]` list: `writeHead` reads a list by
 * index, where an object costs it a `for in`, an own-property check and a megamorphic keyed
 * load per field (reply records come in several shapes), and a copy to add Content-Length
 * cost a megamorphic keyed store per field (~1.1k instructions a reply in bench c).
 * `wholeSse`: an SSE reply sent whole, without the headers only a stream needs.
 */
function headList(headers: Readonly<Record<string, string>>, wholeSse: boolean): string[] {
  const head: string[] = [];
  for (const name in headers) {
    if (!wholeSse || !streamOnlyHeader(name)) head.push(name, headers[name]!);
  }
  return head;
}

/** Text held while Node waits for a drain goes to Node packed into bytes of about this many characters. */
const PACK_CHARS = 16 * 1024;

/**
 * An SSE connection's writes to a Node response. A class rather than an object of
 * closures: an idle session keeps one open (memory per idle session, bench g).
 */
class NodeSseSink implements SseSink {
  readonly #res: ServerResponse;
  readonly #conn: SseConnection;
  /** What this response last added to the server's unread ledger (0 once drained or closed). */
  #counted = 0;
  /** While Node waits for 'drain': the text sent since, not yet handed to Node. */
  #held: string | undefined;

  constructor(res: ServerResponse, conn: SseConnection) {
    this.#res = res;
    this.#conn = conn;
  }

  write(text: string): boolean {
    const res = this.#res;
    if (this.#held === undefined) {
      coalesce(res);
      res.write(text);
      // Behind only when Node will say 'drain' (it does once it asked the writer to wait).
      if (!res.writableNeedDrain) return false;
      this.#held = '';
      // Node wrote out what it had: the text held meanwhile goes now, before the connection's
      // own wait (drained()) lets its writers resume.
      res.once('drain', () => {
        const held = this.#held;
        this.uncount();
        if (held) this.write(held);
      });
    } else if ((this.#held += text).length >= PACK_CHARS) {
      // Each event handed to a waiting Node stays a write request around its concatenated
      // string (69 MB of unread text held 208 MB of heap); packed, it costs its bytes.
      res.write(Buffer.from(this.#held));
      this.#held = '';
    }
    const length = res.writableLength + this.#held.length;
    const unread = this.#conn.unread;
    if (unread !== undefined) {
      unread.total += length - this.#counted;
      this.#counted = length;
      if (unread.total > unread.max) return true;
    }
    return length > this.#conn.maxBufferedBytes;
  }

  end(): void {
    if (this.#held) this.#res.write(this.#held);
    this.#res.end();
  }

  drained(): Promise<void> {
    return drained(this.#res);
  }

  /** Take this response's bytes out of the ledger: it drained or closed (what was held is dropped). */
  uncount(): void {
    const unread = this.#conn.unread;
    if (unread !== undefined) unread.total -= this.#counted;
    this.#counted = 0;
    this.#held = undefined;
  }
}

/** Resolves when `res` drains or closes (whichever comes first); no listener outlives it. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const go = () => { res.off('drain', go); res.off('close', go); resolve(); };
    res.once('drain', go);
    res.once('close', go);
  });
}

/** Cork `res` until the current run of ready callbacks is over (`end()` uncorks fully). */
export function coalesce(res: ServerResponse): void {
  if (res.writableCorked > 0) return;
  res.cork();
  process.nextTick(() => res.uncork());
}
