/**
 * An HTTP/1.1 response parser for the sidecar's own upstream connections, strict on purpose: the
 * framing decides which caller receives which bytes, so anything ambiguous (both Content-Length
 * and Transfer-Encoding, differing lengths, folded or malformed header lines, bytes after the
 * response) is an error, and the connection is not used again. Fed raw socket reads; emits the
 * head once (interim 1xx responses are skipped), then the decoded body, then the end.
 */

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
const MAX_CHUNK_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
/** A status line, then header lines `token ":" field-value` (no folding, no bare CR or LF). */
const HEAD = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?(?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*$/;
const CLOSE_TOKEN = /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i;
const TRAILER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*$/;
const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** Where the parser is: the head, a body framed by length, by chunks or by the connection's end, or done. */
type State = 'head' | 'length' | 'chunked' | 'until-close' | 'done';
/** Inside chunked framing: a size line, chunk data, the CRLF after it, or the trailer section. */
type ChunkStep = 'size' | 'data' | 'data-end' | 'trailers';

export class ResponseParser {
  readonly #sink: ResponseSink;
  readonly #bodyExpected: boolean;
  #state: State = 'head';
  #pending: Buffer | null = null;
  /** Body bytes still due: of the whole body (Length) or of the current chunk (Chunked). */
  #remaining = 0;
  #chunkStep: ChunkStep = 'size';
  #trailerBytes = 0;
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
          const end = buf.indexOf(CRLF_CRLF);
          if (end === -1) {
            if (buf.length > MAX_HEAD_BYTES) throw new UpstreamProtocolError(`response head over ${MAX_HEAD_BYTES} bytes`);
            this.#pending = buf;
            return;
          }
          if (end > MAX_HEAD_BYTES) throw new UpstreamProtocolError(`response head over ${MAX_HEAD_BYTES} bytes`);
          const head = buf.toString('latin1', 0, end);
          buf = buf.subarray(end + 4);
          this.#onHead(head);
          break;
        }
        case 'length': {
          const n = Math.min(this.#remaining, buf.length);
          this.#remaining -= n;
          this.#sink.data(n === buf.length ? buf : buf.subarray(0, n));
          buf = buf.subarray(n);
          if (this.#remaining === 0) this.#finish();
          break;
        }
        case 'chunked':
          buf = this.#chunked(buf);
          break;
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
    let at = head.indexOf('\r\n');
    while (at !== -1) {
      const start = at + 2;
      at = head.indexOf('\r\n', start);
      const line = at === -1 ? head.slice(start) : head.slice(start, at);
      const colon = line.indexOf(':');
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      headers.push(name, value);
      if (name.length < 10 || name.length > 17) continue; // none of the three names below
      const lower = name.toLowerCase();
      if (lower === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== value)) throw new UpstreamProtocolError('bad or conflicting Content-Length');
        length = value;
      } else if (lower === 'transfer-encoding') codings = codings === undefined ? value : `${codings},${value}`;
      else if (lower === 'connection' && CLOSE_TOKEN.test(value)) close = true;
      else if (lower === 'keep-alive') {
        const t = /(?:^|,)\s*timeout\s*=\s*(\d{1,9})/i.exec(value);
        if (t) keepAliveS = Number(t[1]);
      }
    }
    if (statusCode < 200) {
      // Interim (100 Continue, 103 Early Hints): the final response follows on the same connection.
      if (statusCode === 101) throw new UpstreamProtocolError('switching protocols was not asked for');
      return;
    }
    if (codings !== undefined && length !== undefined) throw new UpstreamProtocolError('both Content-Length and Transfer-Encoding');
    this.#sink.head({ statusCode, statusMessage: m[3] ?? '', headers, reusable: !close, ...(keepAliveS !== undefined ? { keepAliveS } : {}) });
    if (!this.#bodyExpected || statusCode === 204 || statusCode === 304) return this.#end(!close);
    if (codings !== undefined) {
      const list = codings.split(',').map((c) => c.trim().toLowerCase());
      if (list.at(-1) !== 'chunked' || list.indexOf('chunked') !== list.length - 1) throw new UpstreamProtocolError(`unsupported Transfer-Encoding "${codings}"`);
      this.#state = 'chunked';
      this.#chunkStep = 'size';
      this.#reusable = !close;
      return;
    }
    if (length !== undefined) {
      this.#remaining = Number(length);
      this.#reusable = !close;
      if (this.#remaining === 0) return this.#end(!close);
      this.#state = 'length';
      return;
    }
    this.#state = 'until-close'; // no framing: the body ends with the connection
    this.#reusable = false;
  }

  #end(reusable: boolean): void {
    this.#reusable = reusable;
    this.#finish();
  }

  /** Chunked framing; returns what is left of `buf` (nothing if it had to wait for more). */
  #chunked(buf: Buffer): Buffer {
    switch (this.#chunkStep) {
      case 'size': {
        const eol = buf.indexOf('\r\n');
        if (eol === -1) {
          if (buf.length > MAX_CHUNK_LINE) throw new UpstreamProtocolError('chunk size line too long');
          this.#pending = buf;
          return buf.subarray(buf.length);
        }
        const line = buf.toString('latin1', 0, eol);
        const semi = line.indexOf(';');
        const hex = (semi === -1 ? line : line.slice(0, semi)).trimEnd();
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new UpstreamProtocolError('bad chunk size');
        this.#remaining = parseInt(hex, 16);
        this.#chunkStep = this.#remaining === 0 ? 'trailers' : 'data';
        this.#trailerBytes = 0;
        return buf.subarray(eol + 2);
      }
      case 'data': {
        const n = Math.min(this.#remaining, buf.length);
        this.#remaining -= n;
        this.#sink.data(n === buf.length ? buf : buf.subarray(0, n));
        if (this.#remaining === 0) this.#chunkStep = 'data-end';
        return buf.subarray(n);
      }
      case 'data-end': {
        if (buf.length < 2) {
          this.#pending = buf;
          return buf.subarray(buf.length);
        }
        if (buf[0] !== 0x0d || buf[1] !== 0x0a) throw new UpstreamProtocolError('chunk not followed by CRLF');
        this.#chunkStep = 'size';
        return buf.subarray(2);
      }
      case 'trailers': {
        // Trailer fields after the last chunk, up to an empty line: read and dropped.
        const eol = buf.indexOf('\r\n');
        if (eol === -1) {
          if (this.#trailerBytes + buf.length > MAX_TRAILER_BYTES) throw new UpstreamProtocolError('trailers too long');
          this.#pending = buf;
          return buf.subarray(buf.length);
        }
        this.#trailerBytes += eol + 2;
        if (this.#trailerBytes > MAX_TRAILER_BYTES) throw new UpstreamProtocolError('trailers too long');
        if (eol === 0) {
          this.#finish();
        } else if (!TRAILER_LINE.test(buf.toString('latin1', 0, eol))) {
          throw new UpstreamProtocolError('bad trailer line');
        }
        return buf.subarray(eol + 2);
      }
    }
  }
}
