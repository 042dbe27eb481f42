import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { tempHome } from '../../../../test/helpers.js';
import { LocalCa, type WorkloadCredentials } from '../../pki/ca.js';
import { IngressResponse, serveHttp1, type IngressRequest } from './connection.js';

const home = tempHome('esq-http1-');
let server: Server;
let port: number;
let client: WorkloadCredentials;
const seen: Array<{ method: string; url: string; body: string }> = [];

/** Writes `wire` on a fresh mTLS connection and collects everything until the server closes or `untilMs`. */
async function exchange(wire: string | string[], untilMs = 1500): Promise<{ text: string; closedByServer: boolean }> {
  const s: TLSSocket = connect({ host: '127.0.0.1', port, ca: client.bundlePem, cert: client.chainPem, key: client.keyPem, checkServerIdentity: () => undefined });
  await new Promise<void>((r, j) => s.once('secureConnect', r).once('error', j));
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString('latin1')));
  const closed = new Promise<boolean>((r) => s.once('end', () => r(true)));
  for (const w of Array.isArray(wire) ? wire : [wire]) {
    s.write(w);
    await new Promise((r) => setTimeout(r, 20));
  }
  const closedByServer = await Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), untilMs))]);
  s.destroy();
  return { text, closedByServer };
}

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

describe('HTTP/1.1 on the ingress TLS sockets', () => {
  before(async () => {
    const ca = await LocalCa.init(join(home.dir, 'pki'), { trustDomain: 'esq.test' });
    const creds = await ca.issue({ spiffeId: 'spiffe://esq.test/ns/default/sa/svc', ipAddresses: ['127.0.0.1'] });
    client = await ca.issue({ spiffeId: 'spiffe://esq.test/ns/default/sa/caller' });
    server = createServer({ cert: creds.chainPem, key: creds.keyPem, ca: creds.bundlePem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' });
    serveHttp1(
      server,
      (req: IngressRequest, res) => {
        const chunks: Buffer[] = [];
        const done = () => {
          const body = Buffer.concat(chunks).toString();
          seen.push({ method: req.method, url: req.url, body });
          if (req.url === '/stream') {
            // No length: chunked on HTTP/1.1.
            res.writeHead(200, ['content-type', 'text/plain']);
            res.write('part1,');
            res.end('part2');
          } else res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(`echo:${body}`.length) }).end(`echo:${body}`);
        };
        if (req.url === '/refuse') return void res.writeHead(403, { 'content-length': '0' }).end(); // the body is never read
        if (!req.body) return done();
        req.body.on('data', (c: Buffer) => chunks.push(c));
        req.body.on('end', done);
      },
      { headTimeoutMs: 300 },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('answers pipelined requests in order on one connection, and keeps it open', async () => {
    seen.length = 0;
    const r = await exchange('GET /one HTTP/1.1\r\nHost: s\r\n\r\nPOST /two HTTP/1.1\r\nHost: s\r\nContent-Length: 3\r\n\r\nabcGET /three HTTP/1.1\r\nHost: s\r\n\r\n', 200);
    assert.deepEqual(statuses(r.text), [200, 200, 200]);
    assert.deepEqual(seen.map((x) => x.url), ['/one', '/two', '/three']);
    assert.match(r.text, /echo:abc/);
    assert.equal(r.closedByServer, false);
  });

  it('decodes a chunked request body sent in pieces and frames an unknown-length response as chunked', async () => {
    seen.length = 0;
    const r = await exchange(['POST /stream HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n', '2\r\nde\r\n0\r\n\r\n'], 300);
    assert.equal(seen[0]?.body, 'abcde');
    assert.match(r.text, /transfer-encoding: chunked\r\n\r\n6\r\npart1,\r\n5\r\npart2\r\n0\r\n\r\n$/);
  });

  it('refuses a smuggling attempt with 400, closes, and the handler never sees it', async () => {
    seen.length = 0;
    const r = await exchange('POST / HTTP/1.1\r\nHost: s\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: s\r\n\r\n');
    assert.deepEqual(statuses(r.text), [400]);
    assert.match(r.text, /both Content-Length and Transfer-Encoding/);
    assert.equal(r.closedByServer, true);
    assert.deepEqual(seen, []);
  });

  it('closes after answering a request whose body it did not read (the rest cannot be told from a next request)', async () => {
    seen.length = 0;
    const r = await exchange(['POST /refuse HTTP/1.1\r\nHost: s\r\nContent-Length: 100000\r\n\r\npartial', 'GET /next HTTP/1.1\r\nHost: s\r\n\r\n']);
    assert.deepEqual(statuses(r.text), [403]);
    assert.equal(r.closedByServer, true);
    assert.deepEqual(seen, [], 'nothing after the refusal was read as a request');
  });

  it('sends 100 Continue before reading a body that asks for it', async () => {
    const r = await exchange(['POST /c HTTP/1.1\r\nHost: s\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n', 'hi'], 300);
    assert.deepEqual(statuses(r.text), [100, 200]);
    assert.match(r.text, /echo:hi$/);
  });

  it('sends no body to HEAD and closes after HTTP/1.0 and Connection: close', async () => {
    const head = await exchange('HEAD /h HTTP/1.1\r\nHost: s\r\n\r\n', 200);
    assert.match(head.text, /content-length: 5\r\n\r\n$/);
    const old = await exchange('GET /old HTTP/1.0\r\n\r\n');
    assert.equal(old.closedByServer, true);
    assert.match(old.text, /connection: close/);
    const close = await exchange('GET /c HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n');
    assert.equal(close.closedByServer, true);
  });

  it('refuses to write a response header that would split the response', () => {
    const fake = { socket: { destroyed: false } } as unknown as ConstructorParameters<typeof IngressResponse>[0];
    const res = new IngressResponse(fake, false, false, false);
    assert.throws(() => res.writeHead(200, ['x-a', 'ok\r\nset-cookie: evil=1']), /invalid response header/);
    assert.throws(() => new IngressResponse(fake, false, false, false).writeHead(200, ['bad name', 'x']), /invalid response header/);
  });

  it('gives a slow request head 408 and an idle connection its end, after the head time limit', async () => {
    const slow = await exchange('GET /slow HTTP/1.1\r\nHost: s\r\n');
    assert.deepEqual(statuses(slow.text), [408]);
    assert.equal(slow.closedByServer, true);
    const idle = await exchange([]);
    assert.equal(idle.text, '');
    assert.equal(idle.closedByServer, true);
  });
});
