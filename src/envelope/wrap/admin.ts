/**
 * The sidecar's local admin endpoint: loopback only, bearer token from the run file (0600), so
 * only the user who started the sidecar can read its posture. `GET /status`, `GET /healthz`.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../errors.js';
import { endpointLabel, isLoopbackHost } from '../config/endpoint.js';
import { listenOrExplain } from '../ingress/listen.js';

export interface AdminServer {
  url: string;
  close(): Promise<void>;
}

export async function startAdmin(o: { host: string; port: number; token: string; status: () => Promise<unknown> }): Promise<AdminServer> {
  if (!isLoopbackHost(o.host)) throw new ConfigError('the admin endpoint listens on loopback only');
  const expected = Buffer.from(`Bearer ${o.token}`);
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    if (req.method !== 'GET' || req.url !== '/status') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    o.status().then(
      (s) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(s)),
      (e: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.message })),
    );
  });
  await listenOrExplain(server, { host: o.host, port: o.port }, 'the admin endpoint');
  const a = server.address() as AddressInfo;
  return {
    url: `http://${endpointLabel({ host: a.address, port: a.port })}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
