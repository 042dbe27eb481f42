/**
 * An HTTP/1.1 request parser for the ingress, strict on purpose: what a caller's bytes mean must
 * be exactly what the upstream will make of them once forwarded, so anything ambiguous (both
 * Content-Length and Transfer-Encoding, conflicting lengths, folded or malformed header lines,
 * bare CR or LF, a missing or repeated Host) is refused with a status, never guessed at. Parses
 * one request at a time and hands back the bytes after it (a pipelined next request) untouched.
 */
import { BodyDecoder, contentLength, forEachField, framingOf, takeHead } from './framing.js';

/** A request the ingress refuses to read: answered with `status`, then the connection is closed. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 408 | 417 | 431 | 501 | 505,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestHead {
  method: string;
  /** The request target as sent. */
  target: string;
  /** `1.1` or `1.0`. */
  version: '1.0' | '1.1';
  /** Header fields as sent, flat: `[name, value, name, value, …]`. */
  rawHeaders: string[];
  /** The caller asked for the connection to close after the response (or spoke HTTP/1.0 without keep-alive). */
  close: boolean;
  /** A body follows (Content-Length above zero, or chunked). */
  hasBody: boolean;
  /** `Expect: 100-continue` was sent. */
  expectsContinue: boolean;
}

export interface RequestSink {
  head(h: RequestHead): void;
  data(chunk: Buffer): void;
  end(): void;
}

export const MAX_REQUEST_HEAD_BYTES = 16 * 1024;
const MAX_HEADERS = 100;
/** method SP request-target SP HTTP-version, then `token ":" field-value` lines (no folding, no bare CR or LF, no controls). */
const HEAD = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e\x80-\xff]+) HTTP\/(\d)\.(\d)(?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*$/;
const CLOSE_TOKEN = /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i;
const KEEP_ALIVE_TOKEN = /(?:^|,)[ \t]*keep-alive[ \t]*(?:,|$)/i;

type State = 'head' | 'body' | 'done';

const badRequest = (message: string) => new RequestError(400, message);
const headTooLong = () => new RequestError(431, `request head over ${MAX_REQUEST_HEAD_BYTES} bytes`);

export class RequestParser {
  readonly #sink: RequestSink;
  #state: State = 'head';
  #pending: Buffer | null = null;
  #body: BodyDecoder | null = null;

  constructor(sink: RequestSink) {
    this.#sink = sink;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** True before any byte of the request arrived (an idle kept-alive connection). */
  get idle(): boolean {
    return this.#state === 'head' && this.#pending === null;
  }

  /** Ready for the next request on the connection. */
  reset(): void {
    this.#state = 'head';
    this.#pending = null;
    this.#body = null;
  }

  /**
   * Bytes from the socket. Returns what follows the request once it is complete (maybe empty),
   * else undefined. Throws RequestError.
   */
  push(input: Buffer): Buffer | undefined {
    let buf = this.#pending ? Buffer.concat([this.#pending, input]) : input;
    this.#pending = null;
    for (;;) {
      switch (this.#state) {
        case 'head': {
          // RFC 9112 §2.2: empty lines before a request line are ignored.
          while (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) buf = buf.subarray(2);
          const h = takeHead(buf, MAX_REQUEST_HEAD_BYTES, headTooLong);
          if (!h) {
            if (buf.length > 0) this.#pending = buf;
            return undefined;
          }
          buf = h.rest;
          this.#onHead(h.head);
          break;
        }
        case 'body': {
          const rest = this.#body!.push(buf);
          if (rest === undefined) return undefined;
          this.#finish();
          return rest;
        }
        case 'done':
          return buf;
      }
    }
  }

  #finish(): void {
    this.#state = 'done';
    this.#sink.end();
  }

  #onHead(head: string): void {
    const m = HEAD.exec(head);
    if (!m) throw badRequest(/\r\n[ \t]/.test(head) ? 'folded header line' : /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ \S+ HTTP\/\d\.\d(?:\r\n|$)/.test(head) ? 'malformed header line' : 'malformed request line');
    const [, method, target, major, minor] = m as unknown as [string, string, string, string, string];
    if (major !== '1' || (minor !== '0' && minor !== '1')) throw new RequestError(505, `HTTP/${major}.${minor} is not supported`);
    const version = minor === '1' ? '1.1' : '1.0';
    const rawHeaders: string[] = [];
    let length: string | undefined;
    let codings: string | undefined;
    let hosts = 0;
    let closeAsked = false;
    let keepAliveAsked = false;
    let expectsContinue = false;
    forEachField(head, (name, value) => {
      rawHeaders.push(name, value);
      if (rawHeaders.length > MAX_HEADERS * 2) throw new RequestError(431, `more than ${MAX_HEADERS} header fields`);
      if (name.length < 4 || name.length > 17) return; // none of the names below
      switch (name.toLowerCase()) {
        case 'host':
          hosts++;
          break;
        case 'content-length':
          length = contentLength(value, length);
          if (length === undefined) throw badRequest('bad or conflicting Content-Length');
          break;
        case 'transfer-encoding':
          codings = codings === undefined ? value : `${codings},${value}`;
          break;
        case 'connection':
          if (CLOSE_TOKEN.test(value)) closeAsked = true;
          if (KEEP_ALIVE_TOKEN.test(value)) keepAliveAsked = true;
          break;
        case 'expect':
          if (value.toLowerCase() === '100-continue') expectsContinue = true;
          else throw new RequestError(417, `unsupported Expect "${value}"`);
          break;
      }
    });
    // RFC 9112 §3.2: exactly one Host in HTTP/1.1; never more than one.
    if (hosts > 1 || (version === '1.1' && hosts === 0)) throw badRequest(hosts > 1 ? 'more than one Host header' : 'no Host header');
    if (codings !== undefined && version === '1.0') throw badRequest('Transfer-Encoding in an HTTP/1.0 request');
    // Transfer codings other than chunked we cannot decode, and the upstream would never learn of them.
    if (codings !== undefined && codings.trim().toLowerCase() !== 'chunked') throw new RequestError(501, `unsupported Transfer-Encoding "${codings}"`);
    const framing = framingOf(codings, length);
    if (framing && 'problem' in framing) throw new RequestError(framing.problem.startsWith('unsupported') ? 501 : 400, framing.problem);
    const close = closeAsked || (version === '1.0' && !keepAliveAsked);
    const hasBody = framing !== undefined && ('chunked' in framing || framing.length > 0);
    const h: RequestHead = { method, target, version, rawHeaders, close, hasBody, expectsContinue };
    // The state is set before the sink hears of the head: the sink may answer at once.
    if (!hasBody) {
      this.#state = 'done';
      this.#sink.head(h);
      this.#sink.end();
      return;
    }
    this.#body = new BodyDecoder(framing!, (c) => this.#sink.data(c), badRequest);
    this.#state = 'body';
    this.#sink.head(h);
  }
}
