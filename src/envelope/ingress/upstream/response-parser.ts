/**
 * An HTTP/1.1 response parser for the sidecar's own upstream connections, strict on purpose: the
 * framing decides which caller receives which bytes, so anything ambiguous (both Content-Length
 * and Transfer-Encoding, differing lengths, folded or malformed header lines, bytes after the
 * response) is an error, and the connection is not used again. Body framing is ../http1/framing.ts,
 * shared with the ingress's request parser. Fed raw socket reads; emits the
 * head once (interim 1xx responses are skipped), then the decoded body, then the end.
 */

import { BodyDecoder, contentLength, forEachField, framingOf, takeHead } from '../http1/framing.js';

export class UpstreamProtocolError extends Error {
  constructor(message: string) {
    super(`upstream spoke malformed HTTP: ${message}`);
  }
}

export interface ResponseHead {
  statusCode: number;
  statusMessage: string;
  /** Header fields as sent, flat: `[name, value, name, value, …]`. */
  headers: string[];
  /** The connection may carry another request once this response has ended. */
  reusable: boolean;
  /** How long the upstream keeps an idle connection open, from `Keep-Alive: timeout=N`, in seconds. */
  keepAliveS?: number;
}

export interface ResponseSink {
  head(h: ResponseHead): void;
  data(chunk: Buffer): void;
  end(): void;
}

const MAX_HEAD_BYTES = 64 * 1024;
/** A status line, then header lines `token ":" field-value` (no folding, no bare CR or LF). */
const HEAD = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?(?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*$/;
const CLOSE_TOKEN = /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i;

/** Where the parser is: the head, a framed body, a body read until the connection ends, or done. */
type State = 'head' | 'body' | 'until-close' | 'done';

const protocolError = (message: string) => new UpstreamProtocolError(message);
const headTooLong = () => new UpstreamProtocolError(`response head over ${MAX_HEAD_BYTES} bytes`);

export class ResponseParser {
  readonly #sink: ResponseSink;
  readonly #bodyExpected: boolean;
  #state: State = 'head';
  #pending: Buffer | null = null;
  #body: BodyDecoder | null = null;
  #reusable = false;

  /** `bodyExpected` false for an answer to HEAD: whatever its headers say, it has no body. */
  constructor(sink: ResponseSink, bodyExpected: boolean) {
    this.#sink = sink;
    this.#bodyExpected = bodyExpected;
  }

  /** True once the whole response was read. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /** True when the response's framing allows another request on the connection. */
  get reusable(): boolean {
    return this.#reusable;
  }

  /** Bytes from the socket. Throws UpstreamProtocolError; bytes past the end of the response too. */
  push(input: Buffer): void {
    let buf = this.#pending ? Buffer.concat([this.#pending, input]) : input;
    this.#pending = null;
    while (buf.length > 0) {
      switch (this.#state) {
        case 'head': {
          const h = takeHead(buf, MAX_HEAD_BYTES, headTooLong);
          if (!h) {
            this.#pending = buf;
            return;
          }
          buf = h.rest;
          this.#onHead(h.head);
          break;
        }
        case 'body': {
          const rest = this.#body!.push(buf);
          if (rest === undefined) return;
          this.#finish();
          buf = rest;
          break;
        }
        case 'until-close':
          this.#sink.data(buf);
          return;
        case 'done':
          this.#reusable = false;
          throw new UpstreamProtocolError('bytes after the end of the response');
      }
    }
  }

  /** The upstream closed the connection: the end of a body read until close, else a cut response. */
  eof(): void {
    if (this.#state === 'until-close') return this.#finish();
    if (this.#state !== 'done') throw new UpstreamProtocolError('connection closed before the response was complete');
  }

  #finish(): void {
    this.#state = 'done';
    this.#sink.end();
  }

  #onHead(head: string): void {
    // One pass over the whole head checks every line's shape; the loop below only takes it apart.
    const m = HEAD.exec(head);
    if (!m) throw new UpstreamProtocolError(/\r\n[ \t]/.test(head) ? 'folded header line' : /^HTTP\/1\.[01] \d{3}/.test(head) ? 'bad header line' : 'bad status line');
    const statusCode = Number(m[2]);
    const headers: string[] = [];
    let length: string | undefined;
    let codings: string | undefined;
    let close = m[1] === '0'; // HTTP/1.0: one response per connection
    let keepAliveS: number | undefined;
    forEachField(head, (name, value) => {
      headers.push(name, value);
      if (name.length < 10 || name.length > 17) return; // none of the names below
      const lower = name.toLowerCase();
      if (lower === 'content-length') {
        length = contentLength(value, length);
        if (length === undefined) throw new UpstreamProtocolError('bad or conflicting Content-Length');
      } else if (lower === 'transfer-encoding') codings = codings === undefined ? value : `${codings},${value}`;
      else if (lower === 'connection' && CLOSE_TOKEN.test(value)) close = true;
      else if (lower === 'keep-alive') {
        const t = /(?:^|,)\s*timeout\s*=\s*(\d{1,9})/i.exec(value);
        if (t) keepAliveS = Number(t[1]);
      }
    });
    if (statusCode < 200) {
      // Interim (100 Continue, 103 Early Hints): the final response follows on the same connection.
      if (statusCode === 101) throw new UpstreamProtocolError('switching protocols was not asked for');
      return;
    }
    const framing = framingOf(codings, length);
    if (framing && 'problem' in framing) throw new UpstreamProtocolError(framing.problem);
    this.#sink.head({ statusCode, statusMessage: m[3] ?? '', headers, reusable: !close, ...(keepAliveS !== undefined ? { keepAliveS } : {}) });
    this.#reusable = !close;
    if (!this.#bodyExpected || statusCode === 204 || statusCode === 304) return this.#finish();
    if (!framing) {
      this.#state = 'until-close'; // no framing: the body ends with the connection
      this.#reusable = false;
      return;
    }
    this.#body = new BodyDecoder(framing, (c) => this.#sink.data(c), protocolError);
    if (this.#body.done) return this.#finish();
    this.#state = 'body';
  }
}
