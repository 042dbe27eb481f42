/**
 * HTTP/1.1 served straight off the ingress's TLS sockets. Node's `https` server costs about as
 * much per request as nginx's whole proxy does (IncomingMessage, ServerResponse, their streams):
 * measured on loopback, a minimal Node proxy reached 0.75 of nginx's throughput on `https` and
 * 0.87 on raw TLS sockets. This is the small part of a server the sidecar needs: one request at a
 * time per connection (pipelined requests wait their turn), keep-alive, streamed bodies with
 * backpressure both ways, chunked responses when the length is unknown, `100 Continue`, an
 * absolute time limit on reading a request head, and strict parsing (./request-parser.ts).
 */
import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { TOKEN } from './framing.js';
import { RequestError, RequestParser, type RequestHead, type RequestSink } from './request-parser.js';

export interface Http1Options {
  /** Longest wait for a complete request head, idle keep-alive time included. */
  headTimeoutMs?: number;
  /** Bytes of pipelined requests held while one is answered, before reading pauses. */
  maxHeldBytes?: number;
}

export type Http1Handler = (req: IngressRequest, res: IngressResponse) => void;

const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
/** How long a connection we closed may stay half-open while the caller still sends. */
const CLOSE_GRACE_MS = 5_000;
const CRLF = Buffer.from('\r\n', 'latin1');
/** Names a handler may not set: the connection frames responses itself. */
const FRAMING = new Set(['connection', 'transfer-encoding', 'keep-alive']);

/** One request, as the ingress sees it. */
export class IngressRequest {
  constructor(
    readonly method: string,
    /** The request target as sent. */
    readonly url: string,
    /** Header fields as sent, flat: `[name, value, …]`. */
    readonly rawHeaders: string[],
    readonly socket: TLSSocket,
    /** The body, streamed with backpressure; null when the request has none. */
    readonly body: Readable | null,
  ) {}

  /** The first value of a header (case-insensitive name), or undefined. */
  header(lowerName: string): string | undefined {
    const h = this.rawHeaders;
    for (let i = 0; i < h.length; i += 2) if (h[i]!.length === lowerName.length && h[i]!.toLowerCase() === lowerName) return h[i + 1];
    return undefined;
  }
}

/**
 * The answer to one request. Emits 'drain' when a write that returned false may go on, and
 * 'close' exactly once: after the response was handed to the socket, or when the connection went
 * away before that.
 */
export class IngressResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  #finished = false;
  #closed = false;
  #head: string | null = null;
  /** Body framing chosen at writeHead. */
  #mode: 'length' | 'chunked' | 'none' | 'until-close' = 'none';

  constructor(
    private readonly conn: Http1Connection,
    private readonly noBody: boolean,
    private readonly http10: boolean,
    private readonly closeAfter: boolean,
  ) {
    super();
  }

  get destroyed(): boolean {
    return this.conn.socket.destroyed;
  }

  /** `headers` as a flat `[name, value, …]` list or an object. Framing fields are the connection's. */
  writeHead(status: number, headers: readonly string[] | Record<string, string | number> = []): this {
    if (this.headersSent || this.#head !== null) throw new Error('response head already written');
    this.statusCode = status;
    const flat = Array.isArray(headers) ? (headers as readonly string[]) : Object.entries(headers).flatMap(([k, v]) => [k, String(v)]);
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Status'}\r\n`;
    let length = false;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const name = flat[i]!;
      const lower = name.toLowerCase();
      if (FRAMING.has(lower)) continue;
      if (lower === 'content-length') length = true;
      const value = flat[i + 1]!;
      // A CR or LF would start a header (or a response) nobody meant: refuse, as Node's writeHead does.
      if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) throw new Error(`invalid response header ${JSON.stringify(name)}`);
      head += `${name}: ${value}\r\n`;
    }
    const bodyless = this.noBody || status === 204 || status === 304 || status < 200;
    let close = this.closeAfter;
    if (bodyless) this.#mode = 'none';
    else if (length) this.#mode = 'length';
    else if (this.http10) {
      this.#mode = 'until-close';
      close = true;
    } else {
      this.#mode = 'chunked';
      head += 'transfer-encoding: chunked\r\n';
    }
    if (close) this.conn.closeAfterResponse = true;
    head += close ? 'connection: close\r\n\r\n' : '\r\n';
    this.#head = head;
    return this;
  }

  /** Returns false when the caller is slow: wait for 'drain'. */
  write(chunk: Buffer | string): boolean {
    if (this.#finished) throw new Error('write after end');
    if (this.#head === null) this.writeHead(this.statusCode);
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const s = this.conn.socket;
    const head = this.#takeHead();
    if (this.#mode === 'none') return head ? s.write(head, 'latin1') : true;
    if (this.#mode !== 'chunked') {
      if (!head) return s.write(data);
      s.cork();
      s.write(head, 'latin1');
      const ok = s.write(data);
      s.uncork();
      return ok;
    }
    if (data.length === 0) return head ? s.write(head, 'latin1') : true;
    s.cork();
    if (head) s.write(head, 'latin1');
    s.write(`${data.length.toString(16)}\r\n`, 'latin1');
    s.write(data);
    const ok = s.write(CRLF);
    s.uncork();
    return ok;
  }

  end(chunk?: Buffer | string): void {
    if (this.#finished) return;
    if (this.#head === null) this.writeHead(this.statusCode, chunk === undefined ? { 'content-length': '0' } : {});
    const s = this.conn.socket;
    if (!s.destroyed) {
      s.cork();
      if (chunk !== undefined && (typeof chunk === 'string' ? chunk.length : chunk.length) > 0) this.write(chunk);
      const head = this.#takeHead();
      if (head) s.write(head, 'latin1');
      if (this.#mode === 'chunked') s.write(LAST_CHUNK);
      s.uncork();
    }
    this.#finished = true;
    this.conn.responseEnded(this);
    // As with Node's ServerResponse: 'close' comes after end() has returned, never inside it.
    process.nextTick(() => this.closed());
  }

  /** Cuts the connection: the caller sees a broken response, never a wrong one. */
  destroy(): void {
    this.conn.socket.destroy();
  }

  #takeHead(): string | null {
    const h = this.#head;
    if (h === null || this.headersSent) return null;
    this.headersSent = true;
    return h;
  }

  /** @internal */
  closed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
  }
}

/** @internal One TLS connection's requests, one after another. */
export class Http1Connection implements RequestSink {
  closeAfterResponse = false;
  readonly #parser = new RequestParser(this);
  readonly #handler: Http1Handler;
  readonly #o: Required<Http1Options>;
  #res: IngressResponse | null = null;
  #body: Readable | null = null;
  /** Bytes after the request in flight (pipelined), read once it has been answered. */
  #held: Buffer | null = null;
  /** One timer per connection, refreshed rather than recreated for each request. */
  readonly #timer: NodeJS.Timeout;
  #waitingForHead = true;
  /** Inside the parser's push: a response ended there defers the next request until it returns. */
  #parsing = false;
  #nextDue = false;
  #closing = false;

  constructor(
    readonly socket: TLSSocket,
    handler: Http1Handler,
    o: Required<Http1Options>,
  ) {
    this.#handler = handler;
    this.#o = o;
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.#read(d));
    socket.on('drain', () => this.#res?.emit('drain'));
    socket.on('close', () => this.#gone());
    socket.on('error', () => undefined); // 'close' follows; a reset by the caller is not our error
    // One absolute limit on reading a request head, counted from when the connection became ready for one.
    this.#timer = setTimeout(() => this.#timedOut(), o.headTimeoutMs);
    this.#timer.unref();
  }

  #read(d: Buffer): void {
    if (this.#closing) return; // answered for good: what the caller still sends is not read
    if (this.#res !== null && this.#parser.done) {
      // A request is being answered: keep what follows for later, and stop reading if it piles up.
      this.#hold(d, false);
      return;
    }
    this.#parse(d);
  }

  #hold(d: Buffer, first: boolean): void {
    this.#held = !this.#held ? d : first ? Buffer.concat([d, this.#held]) : Buffer.concat([this.#held, d]);
    if (this.#held.length > this.#o.maxHeldBytes) this.socket.pause();
  }

  #parse(d: Buffer): void {
    let rest: Buffer | undefined;
    this.#parsing = true;
    try {
      rest = this.#parser.push(d);
    } catch (e) {
      this.#parsing = false;
      return this.#refuse(e instanceof RequestError ? e : new RequestError(400, (e as Error).message));
    }
    this.#parsing = false;
    if (rest !== undefined && rest.length > 0) this.#hold(rest, true);
    if (this.#nextDue) {
      this.#nextDue = false;
      this.#next();
    }
  }

  /** A request the parser cannot accept: say why if nothing was answered yet, then close. */
  #refuse(e: RequestError): void {
    this.#body?.destroy(e);
    if (this.#res === null || !this.#res.headersSent) {
      const body = JSON.stringify({ error: 'bad request', reason: e.message });
      this.socket.write(`HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      this.#close();
    } else this.socket.destroy();
    this.#closing = true;
  }

  head(h: RequestHead): void {
    this.#waitingForHead = false;
    if (h.close) this.closeAfterResponse = true;
    const body = h.hasBody ? new Readable({ read: () => this.socket.resume() }) : null;
    this.#body = body;
    const res = new IngressResponse(this, h.method === 'HEAD', h.version === '1.0', this.closeAfterResponse);
    this.#res = res;
    if (h.expectsContinue && body) this.socket.write(CONTINUE);
    this.#handler(new IngressRequest(h.method, h.target, h.rawHeaders, this.socket, body), res);
  }

  data(chunk: Buffer): void {
    if (this.#body && !this.#body.push(chunk)) this.socket.pause();
  }

  end(): void {
    this.#body?.push(null);
  }

  /** @internal The response went out in full: next request, or close. */
  responseEnded(res: IngressResponse): void {
    if (res !== this.#res) return;
    if (!this.#parser.done) {
      // Answered before the request body was read (a refusal): the rest of it cannot be told apart
      // from a next request without reading it, so the connection ends here.
      this.closeAfterResponse = true;
    }
    this.#res = null;
    this.#body = null;
    if (this.closeAfterResponse) {
      this.#close();
      return;
    }
    if (this.#parsing) this.#nextDue = true;
    else this.#next();
  }

  #next(): void {
    this.#parser.reset();
    this.#waitingForHead = true;
    this.#timer.refresh();
    const held = this.#held;
    this.#held = null;
    if (held) {
      this.socket.resume();
      this.#parse(held);
    }
  }

  /**
   * Ends the connection after the last response: our side closes at once; a caller that keeps
   * sending (a body nobody read) is cut off after a grace period rather than held open.
   */
  #close(): void {
    this.#closing = true;
    this.#waitingForHead = false;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  #gone(): void {
    clearTimeout(this.#timer);
    const res = this.#res;
    this.#res = null;
    if (this.#body && !this.#parser.done) this.#body.destroy(new Error('the caller closed the connection'));
    res?.closed();
  }

  #timedOut(): void {
    if (!this.#waitingForHead || this.socket.destroyed) return;
    if (this.#parser.idle) this.socket.destroy();
    else this.#refuse(new RequestError(408, `no complete request head within ${this.#o.headTimeoutMs} ms`));
  }
}

/**
 * Serves HTTP/1.1 on every TLS connection `server` accepts from now on (connections another
 * 'secureConnection' listener destroyed first are skipped). Returns the open connections.
 */
export function serveHttp1(server: TlsServer, handler: Http1Handler, o: Http1Options = {}): Set<TLSSocket> {
  const opts: Required<Http1Options> = { headTimeoutMs: o.headTimeoutMs ?? 30_000, maxHeldBytes: o.maxHeldBytes ?? 64 * 1024 };
  const open = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.destroyed) return;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    new Http1Connection(socket, handler, opts);
  });
  return open;
}
