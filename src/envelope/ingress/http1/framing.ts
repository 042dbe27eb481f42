/**
 * HTTP/1.1 message framing, shared by the sidecar's two parsers (requests from callers,
 * responses from the upstream): header lines, then a body of a known length, or chunked with its trailers read and
 * dropped. Strict: a malformed size line, a chunk not followed by CRLF or oversized trailers is an
 * error, never a guess. Fed raw socket bytes; hands on the decoded body and returns what follows
 * the message (the next message's bytes, on a kept-alive connection).
 */

const MAX_CHUNK_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
/** An RFC 9110 token: a method or a field name. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TRAILER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*$/;
const CHUNK_SIZE = /^[0-9a-fA-F]{1,12}$/;

export type Framing = { length: number } | { chunked: true };

/** Inside chunked framing: a size line, chunk data, the CRLF after it, or the trailer section. */
type ChunkStep = 'size' | 'data' | 'data-end' | 'trailers' | 'done';

export class BodyDecoder {
  readonly #data: (chunk: Buffer) => void;
  readonly #fail: (message: string) => Error;
  readonly #chunked: boolean;
  /** Bytes still due: of the whole body (length) or of the current chunk (chunked). */
  #remaining: number;
  #step: ChunkStep = 'size';
  #trailerBytes = 0;
  #pending: Buffer | null = null;

  /** `fail` makes the error thrown for malformed framing (each side names its own peer). */
  constructor(framing: Framing, data: (chunk: Buffer) => void, fail: (message: string) => Error) {
    this.#data = data;
    this.#fail = fail;
    this.#chunked = 'chunked' in framing;
    this.#remaining = 'length' in framing ? framing.length : 0;
    if (!this.#chunked && this.#remaining === 0) this.#step = 'done';
  }

  get done(): boolean {
    return this.#step === 'done';
  }

  /**
   * Decodes what it can of `input`. Returns the bytes after the end of the body once it is complete,
   * else undefined (everything was used or kept for the next call).
   */
  push(input: Buffer): Buffer | undefined {
    let buf = this.#pending ? Buffer.concat([this.#pending, input]) : input;
    this.#pending = null;
    while (this.#step !== 'done') {
      if (buf.length === 0) return undefined;
      buf = this.#chunked ? this.#chunk(buf) : this.#length(buf);
      if (this.#pending) return undefined;
    }
    return buf;
  }

  #length(buf: Buffer): Buffer {
    const n = Math.min(this.#remaining, buf.length);
    this.#remaining -= n;
    this.#data(n === buf.length ? buf : buf.subarray(0, n));
    if (this.#remaining === 0) this.#step = 'done';
    return buf.subarray(n);
  }

  #wait(buf: Buffer): Buffer {
    this.#pending = buf;
    return buf.subarray(buf.length);
  }

  #chunk(buf: Buffer): Buffer {
    switch (this.#step) {
      case 'size': {
        const eol = buf.indexOf('\r\n');
        if (eol === -1) {
          if (buf.length > MAX_CHUNK_LINE) throw this.#fail('chunk size line too long');
          return this.#wait(buf);
        }
        const line = buf.toString('latin1', 0, eol);
        const semi = line.indexOf(';');
        const hex = (semi === -1 ? line : line.slice(0, semi)).trimEnd();
        if (!CHUNK_SIZE.test(hex)) throw this.#fail('bad chunk size');
        this.#remaining = parseInt(hex, 16);
        this.#step = this.#remaining === 0 ? 'trailers' : 'data';
        this.#trailerBytes = 0;
        return buf.subarray(eol + 2);
      }
      case 'data': {
        const n = Math.min(this.#remaining, buf.length);
        this.#remaining -= n;
        this.#data(n === buf.length ? buf : buf.subarray(0, n));
        if (this.#remaining === 0) this.#step = 'data-end';
        return buf.subarray(n);
      }
      case 'data-end': {
        if (buf.length < 2) return this.#wait(buf);
        if (buf[0] !== 0x0d || buf[1] !== 0x0a) throw this.#fail('chunk not followed by CRLF');
        this.#step = 'size';
        return buf.subarray(2);
      }
      case 'trailers': {
        // Trailer fields after the last chunk, up to an empty line: read and dropped.
        const eol = buf.indexOf('\r\n');
        if (eol === -1) {
          if (this.#trailerBytes + buf.length > MAX_TRAILER_BYTES) throw this.#fail('trailers too long');
          return this.#wait(buf);
        }
        this.#trailerBytes += eol + 2;
        if (this.#trailerBytes > MAX_TRAILER_BYTES) throw this.#fail('trailers too long');
        if (eol === 0) this.#step = 'done';
        else if (!TRAILER_LINE.test(buf.toString('latin1', 0, eol))) throw this.#fail('bad trailer line');
        return buf.subarray(eol + 2);
      }
      case 'done':
        return buf;
    }
  }
}

/**
 * The framing that Transfer-Encoding and Content-Length give a message, or an error message.
 * `codings` is every Transfer-Encoding value joined by commas; `length` the one Content-Length.
 */
export function framingOf(codings: string | undefined, length: string | undefined): Framing | { problem: string } | undefined {
  if (codings !== undefined && length !== undefined) return { problem: 'both Content-Length and Transfer-Encoding' };
  if (codings !== undefined) {
    const list = codings.split(',').map((c) => c.trim().toLowerCase());
    if (list.at(-1) !== 'chunked' || list.indexOf('chunked') !== list.length - 1) return { problem: `unsupported Transfer-Encoding "${codings}"` };
    return { chunked: true };
  }
  if (length !== undefined) return { length: Number(length) };
  return undefined;
}

/** A Content-Length value, checked against an earlier one: digits only, and repeats must agree. */
export function contentLength(value: string, earlier: string | undefined): string | undefined {
  if (!/^\d{1,15}$/.test(value) || (earlier !== undefined && earlier !== value)) return undefined;
  return value;
}

/**
 * Calls `field` with each header line of a message head already checked line by line (the start
 * line first, skipped), value trimmed of optional whitespace.
 */
export function forEachField(head: string, field: (name: string, value: string) => void): void {
  let at = head.indexOf('\r\n');
  while (at !== -1) {
    const start = at + 2;
    at = head.indexOf('\r\n', start);
    const line = at === -1 ? head.slice(start) : head.slice(start, at);
    const colon = line.indexOf(':');
    field(line.slice(0, colon), line.slice(colon + 1).trim());
  }
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * The head at the start of `buf` (up to the empty line) and the bytes after it, or undefined when
 * the empty line has not arrived yet. Throws `tooLong()` past `max` bytes, complete or not.
 */
export function takeHead(buf: Buffer, max: number, tooLong: () => Error): { head: string; rest: Buffer } | undefined {
  const end = buf.indexOf(CRLF_CRLF);
  if (end === -1 ? buf.length > max : end > max) throw tooLong();
  if (end === -1) return undefined;
  return { head: buf.toString('latin1', 0, end), rest: buf.subarray(end + 4) };
}
