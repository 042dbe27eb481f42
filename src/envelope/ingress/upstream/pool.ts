/**
 * Kept-alive HTTP/1.1 connections to the one upstream the sidecar guards, one request at a time
 * on each (no pipelining). Deliberately small: the upstream is a single local service, so there
 * is no TLS, no proxying, no redirects, no decompression — only framing, reuse, backpressure,
 * time limits and one retry of an idempotent request on a kept-alive connection that turned out
 * to be closed. A connection is reused only after a response that was framed and complete;
 * anything doubtful ends it.
 */
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Endpoint } from '../../config/endpoint.js';
import { ResponseParser, type ResponseHead, type ResponseSink } from './response-parser.js';
import { TOKEN } from '../http1/framing.js';

export interface UpstreamRequest {
  method: string;
  /** Origin-form target. */
  path: string;
  /** Flat `[name, value, …]`, without hop-by-hop fields: the pool frames the body itself. */
  headers: readonly string[];
  /** Streamed with the Content-Length in `headers` when there is one, else chunked. */
  body: Readable | null;
}

export interface UpstreamHandler {
  onHead(head: ResponseHead): void;
  /** Returns false to pause the upstream until `UpstreamCall.resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  onError(err: Error): void;
}

export interface UpstreamCall {
  /** Gives up on the request (the caller went away): the handler hears nothing more. */
  abort(): void;
  /** Resumes reading after `onData` returned false. */
  resume(): void;
}

export interface UpstreamPoolOptions {
  /** Most connections open at once; further requests wait their turn. */
  connections?: number;
  /** Longest silence from the upstream while a request is open. */
  timeoutMs?: number;
  /** Longest a connection is kept idle for reuse (below the upstream's own keep-alive timeout). */
  idleMs?: number;
}

const TARGET = /^\/[\x21-\x7e\x80-\xff]*$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Methods a client may repeat on its own (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** Node's http server closes idle connections after 5 s unless told otherwise. */
const DEFAULT_IDLE_MS = 4000;

export class UpstreamPool {
  readonly #endpoint: Endpoint;
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #idleMs: number;
  readonly #idle: Connection[] = [];
  readonly #queue: Call[] = [];
  readonly #open = new Set<Connection>();
  #closed = false;

  constructor(endpoint: Endpoint, o: UpstreamPoolOptions = {}) {
    this.#endpoint = endpoint;
    this.#max = o.connections ?? 64;
    this.#timeoutMs = o.timeoutMs ?? 60_000;
    this.#idleMs = o.idleMs ?? DEFAULT_IDLE_MS;
  }

  request(req: UpstreamRequest, handler: UpstreamHandler): UpstreamCall {
    const chunked = req.body !== null && !hasContentLength(req.headers);
    const call = new Call(this, req, requestHead(req, chunked), chunked, handler);
    // Names and values come from Node's parser and from us; checked anyway, one by one (a CRLF
    // inside a value would make a well-formed head with a field nobody meant to send).
    const bad = requestProblem(req);
    if (bad) call.fail(new Error(`refusing to send a malformed request upstream: ${bad}`));
    else this.dispatch(call);
    return call;
  }

  /** Open connections, for tests and status. */
  get size(): { open: number; idle: number; queued: number } {
    return { open: this.#open.size, idle: this.#idle.length, queued: this.#queue.length };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#queue.splice(0)) call.fail(new Error('the sidecar is shutting down'));
    const closing = [...this.#open].map((c) => c.closed);
    for (const c of this.#open) c.destroy(new Error('the sidecar is shutting down'));
    await Promise.all(closing);
  }

  /** @internal */
  dispatch(call: Call): void {
    if (this.#closed) return call.fail(new Error('the sidecar is shutting down'));
    const now = Date.now();
    for (let c = this.#idle.pop(); c; c = this.#idle.pop()) {
      if (c.freshAt(now)) return c.run(call);
      c.destroy(); // idle too long: the upstream may be closing it right now
    }
    if (this.#open.size < this.#max) {
      const c = new Connection(this, this.#endpoint, this.#timeoutMs, this.#idleMs);
      this.#open.add(c);
      return c.run(call);
    }
    this.#queue.push(call);
  }

  /** @internal A connection finished a response cleanly and can take the next request. */
  released(c: Connection): void {
    const next = this.#queue.shift();
    if (next) return c.run(next);
    this.#idle.push(c);
  }

  /** @internal */
  gone(c: Connection): void {
    this.#open.delete(c);
    const i = this.#idle.indexOf(c);
    if (i !== -1) this.#idle.splice(i, 1);
    const next = !this.#closed && this.#open.size < this.#max ? this.#queue.shift() : undefined;
    if (next) this.dispatch(next);
  }

  /** @internal */
  dequeue(call: Call): void {
    const i = this.#queue.indexOf(call);
    if (i !== -1) this.#queue.splice(i, 1);
  }
}

function requestProblem(r: UpstreamRequest): string | undefined {
  if (!TOKEN.test(r.method)) return 'bad method';
  if (!TARGET.test(r.path)) return 'bad request target';
  for (let i = 0; i < r.headers.length; i += 2) {
    if (!TOKEN.test(r.headers[i]!)) return 'bad header name';
    if (!FIELD_VALUE.test(r.headers[i + 1]!)) return `bad value in header ${r.headers[i]}`;
  }
  return undefined;
}

function requestHead(req: UpstreamRequest, chunked: boolean): string {
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
  for (let i = 0; i < req.headers.length; i += 2) head += `${req.headers[i]}: ${req.headers[i + 1]}\r\n`;
  // Keep-alive is HTTP/1.1's default: no Connection field needed.
  return `${head}${chunked ? 'transfer-encoding: chunked\r\n' : ''}\r\n`;
}

class Call implements UpstreamCall {
  connection: Connection | null = null;
  /** The handler has heard the outcome, or the caller gave up: nothing more reaches it. */
  settled = false;
  retried = false;

  constructor(
    readonly pool: UpstreamPool,
    readonly req: UpstreamRequest,
    /** The request line and header section, as sent. */
    readonly head: string,
    readonly chunked: boolean,
    readonly handler: UpstreamHandler,
  ) {}

  abort(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.connection) this.connection.destroy();
    else this.pool.dequeue(this);
  }

  resume(): void {
    this.connection?.resumeFor(this);
  }

  fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.handler.onError(err);
  }

  /** Safe to send again on a fresh connection: nothing of it can have been acted on twice. */
  get retryable(): boolean {
    return !this.retried && this.req.body === null && IDEMPOTENT.has(this.req.method);
  }
}

class Connection implements ResponseSink {
  readonly #pool: UpstreamPool;
  readonly #socket: Socket;
  #idleMs: number;
  #call: Call | null = null;
  #parser: ResponseParser | null = null;
  #answered = false;
  #ended = false;
  #bodySent = true;
  #served = 0;
  #idleSince = 0;
  /** Stops reading the caller's body into this connection (set while one is being sent). */
  #dropBody: (() => void) | null = null;
  #error: Error | undefined;
  readonly closed: Promise<void>;

  constructor(pool: UpstreamPool, endpoint: Endpoint, timeoutMs: number, idleMs: number) {
    this.#pool = pool;
    this.#idleMs = idleMs;
    const s = 'socketPath' in endpoint ? connect(endpoint.socketPath) : connect(endpoint.port, endpoint.host);
    this.#socket = s;
    s.setNoDelay(true);
    s.setTimeout(timeoutMs);
    s.on('data', (d: Buffer) => this.#onData(d));
    s.on('timeout', () => s.destroy(this.#call ? new Error(`the upstream did not answer for ${Math.round(timeoutMs / 1000)} s`) : undefined));
    s.on('error', (e: Error) => (this.#error = e));
    this.closed = new Promise((resolve) => s.once('close', () => resolve(this.#onClose())));
  }

  freshAt(now: number): boolean {
    return !this.#socket.destroyed && now - this.#idleSince < this.#idleMs;
  }

  run(call: Call): void {
    this.#call = call;
    call.connection = this;
    this.#parser = new ResponseParser(this, call.req.method !== 'HEAD');
    this.#answered = false;
    this.#ended = false;
    this.#socket.write(call.head, 'latin1');
    const { body } = call.req;
    this.#bodySent = body === null;
    if (body) this.#sendBody(call, body, call.chunked);
  }

  resumeFor(call: Call): void {
    if (this.#call === call) this.#socket.resume();
  }

  destroy(err?: Error): void {
    this.#socket.destroy(err);
  }

  // ResponseSink: the parser's output, for the request in flight.
  head(h: ResponseHead): void {
    // Reuse only well within the upstream's own idle limit: a second less than it says.
    if (h.keepAliveS !== undefined) this.#idleMs = Math.min(this.#idleMs, Math.max(0, h.keepAliveS * 1000 - 1000));
    if (!this.#call!.settled) this.#call!.handler.onHead(h);
  }

  data(chunk: Buffer): void {
    if (!this.#call!.settled && !this.#call!.handler.onData(chunk)) this.#socket.pause();
  }

  end(): void {
    this.#ended = true;
  }

  #sendBody(call: Call, body: Readable, chunked: boolean): void {
    const s = this.#socket;
    const onData = (chunk: Buffer) => {
      if (this.#call !== call || chunk.length === 0) return;
      let ok: boolean;
      if (chunked) {
        s.cork();
        s.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        s.write(chunk);
        ok = s.write('\r\n', 'latin1');
        s.uncork();
      } else ok = s.write(chunk);
      if (!ok) {
        body.pause();
        s.once('drain', () => body.resume());
      }
    };
    const detach = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      this.#dropBody = null;
    };
    // The exchange ended before the body was sent: read the rest into the void, so that the
    // caller's connection is not left stalled on a body nobody reads.
    this.#dropBody = () => {
      detach();
      body.resume();
    };
    const onEnd = () => {
      detach();
      if (this.#call !== call) return;
      if (chunked) s.write('0\r\n\r\n', 'latin1');
      this.#bodySent = true;
    };
    // The caller's body broke off: the upstream can never get a whole request on this connection.
    const onError = (e: Error) => {
      detach();
      if (this.#call === call) s.destroy(new Error(`the request body broke off: ${e.message}`));
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  }

  #onData(d: Buffer): void {
    const call = this.#call;
    if (!call || !this.#parser) {
      this.#socket.destroy(); // bytes nobody asked for: this connection cannot be trusted for the next request
      return;
    }
    this.#answered = true;
    try {
      this.#parser.push(d);
    } catch (e) {
      if (this.#ended) {
        // The response was whole; what followed it was not. Deliver it, drop the connection.
        this.#finish(call, false);
        return;
      }
      this.#socket.destroy(e as Error);
      return;
    }
    if (this.#ended) this.#finish(call, this.#parser.reusable);
  }

  #finish(call: Call, reusable: boolean): void {
    this.#dropBody?.();
    this.#call = null;
    this.#parser = null;
    call.connection = null;
    if (!call.settled) {
      call.settled = true;
      call.handler.onEnd();
    }
    if (reusable && this.#bodySent && !this.#socket.destroyed) {
      this.#served++;
      this.#idleSince = Date.now();
      this.#socket.resume();
      this.#pool.released(this);
    } else this.#socket.destroy();
  }

  #onClose(): void {
    this.#dropBody?.();
    this.#pool.gone(this);
    const call = this.#call;
    if (!call) return;
    this.#call = null;
    call.connection = null;
    if (this.#parser && !this.#ended && !this.#error) {
      try {
        this.#parser.eof(); // a body that ends with the connection ends here
      } catch (e) {
        this.#error = e as Error;
      }
      if (this.#ended) {
        if (!call.settled) {
          call.settled = true;
          call.handler.onEnd();
        }
        return;
      }
    }
    // A kept-alive connection the upstream had already closed: nothing was processed, try a fresh one.
    if (!call.settled && this.#served > 0 && !this.#answered && call.retryable) {
      call.retried = true;
      this.#pool.dispatch(call);
      return;
    }
    call.fail(this.#error ?? new Error('the upstream closed the connection before answering'));
  }
}

function hasContentLength(headers: readonly string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === 'content-length') return true;
  return false;
}
