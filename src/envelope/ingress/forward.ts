/**
 * Forwards an admitted request to the upstream over a pool of kept-alive connections, streaming
 * both bodies (undici's `stream`: the response goes straight into Node's ServerResponse).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { endpointLabel, type Endpoint } from '../config/endpoint.js';
import { responseHeaders } from './headers.js';

export interface Forwarder {
  /** Sends `req` to the upstream as `target` (the normalised path the policy approved). */
  forward(req: IncomingMessage, res: ServerResponse, target: string, headers: string[]): Promise<'ok' | 'upstream-error'>;
  readonly target: string;
  close(): Promise<void>;
}

export function createForwarder(upstream: Endpoint, opts: { connections?: number; timeoutMs?: number } = {}): Forwarder {
  const common = { connections: opts.connections ?? 64, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: opts.timeoutMs ?? 60_000, bodyTimeout: opts.timeoutMs ?? 60_000 };
  const pool =
    'socketPath' in upstream
      ? new Pool('http://localhost', { ...common, socketPath: upstream.socketPath })
      : new Pool(`http://${endpointLabel(upstream)}`, common);
  return {
    target: endpointLabel(upstream),
    async forward(req, res, target, headers) {
      const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
      try {
        await pool.stream(
          { method: req.method as 'GET', path: target, headers, body: hasBody ? req : null },
          ({ statusCode, headers: h }) => {
            res.writeHead(statusCode, responseHeaders(h as Record<string, string | string[] | undefined>));
            return res;
          },
        );
        return 'ok';
      } catch {
        // Before the status line we can still say what happened; after it, only cut the stream.
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"upstream unavailable"}');
        } else res.destroy();
        return 'upstream-error';
      }
    },
    close: () => pool.close(),
  };
}
