/**
 * The m rows' HTTP driver: HTTP/1.1 POSTs on one keep-alive `node:net` socket, one request
 * at a time, with the request head pre-serialised and the response read by a small parser
 * (status line, `content-type`, `content-length` or chunked, `connection: close`). No
 * library between the bench and the socket: measured on the m-b-json exchange (the same
 * server, 10 000 calls, loaded machine), client CPU per call was undici `Agent.request` 256
 * µs, `node:http` with a keep-alive agent 299 µs, undici `Client.dispatch` 151 µs, this 88 µs
 * (55-66 µs in later runs). Every implementation's server is driven by it alike, so the rows
 * weigh servers, not the client.
 */
import { connect, type Socket } from 'node:net';

/** One response, read whole. */
export interface WireResponse {
  status: number;
  /** The `content-type` header, or undefined. */
  contentType: string | undefined;
  text: string;
}

/** Longest response head (status line and headers) accepted; the servers send ~200 bytes. */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

interface Head { status: number; contentType: string | undefined; length: number | undefined; chunked: boolean; close: boolean; bodyAt: number }

/** Parse the head at the start of `buf` (complete up to `end`, the index of its CRLFCRLF). */
function parseHead(buf: Buffer, end: number): Head {
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) throw new Error(`bad HTTP status line ${JSON.stringify(lines[0]?.slice(0, 80))}`);
  const head: Head = { status: Number(status[1]), contentType: undefined, length: undefined, chunked: false, close: false, bodyAt: end + 4 };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`bad HTTP header line ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-type') head.contentType = value;
    else if (name === 'content-length') {
      if (!/^\d+$/.test(value)) throw new Error(`bad content-length ${JSON.stringify(value)}`);
      head.length = Number(value);
    } else if (name === 'transfer-encoding') head.chunked = value.toLowerCase().split(',').some((v) => v.trim() === 'chunked');
    else if (name === 'connection') head.close = value.toLowerCase().split(',').some((v) => v.trim() === 'close');
  }
  return head;
}

/**
 * The chunked body starting at `at` in `buf`: its bytes and where the message ends, or
 * undefined while incomplete. Chunk extensions and trailers are skipped.
 */
function chunkedBody(buf: Buffer, at: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  for (;;) {
    const eol = buf.indexOf(CRLF, at);
    if (eol === -1) return undefined;
    const sizeText = buf.toString('latin1', at, eol).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`bad chunk size ${JSON.stringify(sizeText.slice(0, 20))}`);
    const size = parseInt(sizeText, 16);
    if (size === 0) {
      const end = buf.indexOf(HEAD_END, eol);
      // No trailers: the size line's CRLF is followed by the final CRLF.
      if (buf.length >= eol + 4 && buf[eol + 2] === 13 && buf[eol + 3] === 10) return { body: Buffer.concat(parts), end: eol + 4 };
      return end === -1 ? undefined : { body: Buffer.concat(parts), end: end + 4 };
    }
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** A keep-alive HTTP/1.1 connection to `host:port` that POSTs one request at a time. */
export class WireConnection {
  readonly #host: string;
  readonly #port: number;
  #socket: Socket | undefined;
  #buf: Buffer | undefined;
  #head: Head | undefined;
  #waiter: { resolve(r: WireResponse): void; reject(e: Error): void } | undefined;

  constructor(host: string, port: number) {
    this.#host = host;
    this.#port = port;
  }

  /** Send `head` (request line and headers, each ending in CRLF, without content-length) and `body`. */
  post(head: string, body: string): Promise<WireResponse> {
    if (this.#waiter) return Promise.reject(new Error('one request at a time on a WireConnection'));
    const socket = this.#socket ?? this.#open();
    return new Promise<WireResponse>((resolve, reject) => {
      this.#waiter = { resolve, reject };
      socket.write(`${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #open(): Socket {
    const socket = connect(this.#port, this.#host);
    socket.setNoDelay(true);
    this.#buf = undefined;
    this.#head = undefined;
    socket.on('data', (chunk: Buffer) => {
      this.#buf = this.#buf ? Buffer.concat([this.#buf, chunk]) : chunk;
      try {
        this.#read(socket, false);
      } catch (error) {
        this.#fail(socket, error as Error);
      }
    });
    socket.on('error', (error) => this.#fail(socket, error));
    socket.on('close', () => {
      // A body delimited by the end of the connection ends here.
      try {
        if (this.#socket === socket && this.#waiter) this.#read(socket, true);
      } catch (error) {
        this.#fail(socket, error as Error);
      }
      this.#fail(socket, new Error('the server closed the connection before its response ended'));
    });
    this.#socket = socket;
    return socket;
  }

  /** Deliver the response once `#buf` holds all of it. */
  #read(socket: Socket, ended: boolean): void {
    const buf = this.#buf;
    if (!buf) return;
    if (!this.#head) {
      const end = buf.indexOf(HEAD_END);
      if (end === -1) {
        if (buf.length > MAX_HEAD_BYTES) throw new Error(`response head over ${MAX_HEAD_BYTES} bytes`);
        return;
      }
      this.#head = parseHead(buf, end);
    }
    const head = this.#head;
    let body: Buffer;
    let end: number;
    if (head.chunked) {
      const chunked = chunkedBody(buf, head.bodyAt);
      if (!chunked) return;
      ({ body, end } = chunked);
    } else if (head.length !== undefined) {
      end = head.bodyAt + head.length;
      if (buf.length < end) return;
      body = buf.subarray(head.bodyAt, end);
    } else if (head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200)) {
      end = head.bodyAt;
      body = Buffer.alloc(0);
    } else {
      if (!ended) return;
      end = buf.length;
      body = buf.subarray(head.bodyAt);
    }
    this.#head = undefined;
    this.#buf = buf.length > end ? buf.subarray(end) : undefined;
    if (head.status >= 100 && head.status < 200) return this.#read(socket, ended); // an interim response
    if (head.close || head.length === undefined && !head.chunked && head.status !== 204 && head.status !== 304) {
      if (this.#socket === socket) this.#socket = undefined;
      socket.destroy();
    }
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (!waiter) throw new Error('the server sent a response nobody asked for');
    waiter.resolve({ status: head.status, contentType: head.contentType, text: body.toString('utf8') });
  }

  /** Fail the request in flight on `socket` (a socket given up already has none). */
  #fail(socket: Socket, error: Error): void {
    socket.destroy();
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }
}
