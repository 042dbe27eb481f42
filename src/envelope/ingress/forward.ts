/**
 * Forwards an admitted request to the upstream over the sidecar's own pool of kept-alive
 * connections (./upstream), streaming both bodies with backpressure, and relays the answer into
 * the caller's response (./http1). The pool is ours rather than a general HTTP client because the client
 * was most of the sidecar's cost per request; see upstream/pool.ts for what it does and does not do.
 */
import type { IngressRequest, IngressResponse } from './http1/connection.js';
import { endpointLabel, type Endpoint } from '../config/endpoint.js';
import { responseHeaders } from './headers.js';
import { UpstreamPool, type UpstreamCall, type UpstreamHandler } from './upstream/pool.js';
import type { ResponseHead } from './upstream/response-parser.js';

export type ForwardOutcome = 'ok' | 'upstream-error';

/** Sees the response body as it is relayed (traffic mirroring); never slows or alters it. */
export interface ForwardTap {
  /** The response head as relayed (status and the flat header list after hop-by-hop removal). */
  head?: ((statusCode: number, headers: string[]) => void) | undefined;
  data?: ((chunk: Buffer) => void) | undefined;
}

export interface Forwarder {
  /**
   * Sends `req` to the upstream as `target` (the normalised path the policy approved) with
   * `headers` (a flat list), and relays the answer into `res`. `done` hears once how it went.
   */
  forward(req: IngressRequest, res: IngressResponse, target: string, headers: string[], hasBody: boolean, done: (outcome: ForwardOutcome) => void, tap?: ForwardTap): void;
  readonly target: string;
  close(): Promise<void>;
}

export function createForwarder(upstream: Endpoint, opts: { connections?: number; timeoutMs?: number } = {}): Forwarder {
  const pool = new UpstreamPool(upstream, { connections: opts.connections ?? 64, timeoutMs: opts.timeoutMs ?? 60_000 });
  return {
    target: endpointLabel(upstream),
    forward(req, res, target, headers, hasBody, done, tap) {
      const relay = new Relay(res, done, tap);
      relay.call = pool.request({ method: req.method, path: target, headers, body: hasBody ? req.body : null }, relay);
    },
    close: () => pool.close(),
  };
}

/** One request's answer, from the upstream connection into the caller's response. */
class Relay implements UpstreamHandler {
  call: UpstreamCall | undefined;
  #settled = false;
  readonly #res: IngressResponse;
  readonly #done: (outcome: ForwardOutcome) => void;
  readonly #tap: ForwardTap | undefined;

  constructor(res: IngressResponse, done: (outcome: ForwardOutcome) => void, tap?: ForwardTap) {
    this.#res = res;
    this.#done = done;
    this.#tap = tap;
    // The caller went away before the answer was complete: stop the upstream request too.
    // (Left attached afterwards: `close` always comes last, and then there is nothing to stop.)
    res.on('close', () => {
      if (this.#settled) return;
      this.call?.abort();
      this.#settle('upstream-error');
    });
  }

  #settle(outcome: ForwardOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#done(outcome);
  }

  onHead(h: ResponseHead): void {
    const headers = responseHeaders(h.headers);
    this.#tap?.head?.(h.statusCode, headers);
    this.#res.writeHead(h.statusCode, headers);
  }

  onData(chunk: Buffer): boolean {
    this.#tap?.data?.(chunk);
    if (this.#res.write(chunk)) return true;
    this.#res.once('drain', () => this.call?.resume());
    return false;
  }

  onEnd(): void {
    this.#res.end();
    this.#settle('ok');
  }

  onError(_err: Error): void {
    // Before the status line we can still say what happened; after it, only cut the stream.
    const res = this.#res;
    if (!res.headersSent && !res.destroyed) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"upstream unavailable"}');
    else res.destroy();
    this.#settle('upstream-error');
  }
}
