import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { UpstreamPool, type UpstreamRequest } from './pool.js';

interface Answer {
  status: number;
  headers: string[];
  body: string;
}

/** One request through the pool: what came back, or the error. */
function send(pool: UpstreamPool, req: Partial<UpstreamRequest> = {}): Promise<Answer | Error> {
  return new Promise((resolve) => {
    let head: Answer | undefined;
    let body = '';
    pool.request(
      { method: 'GET', path: '/', headers: ['host', 'up'], body: null, ...req },
      {
        onHead: (h) => (head = { status: h.statusCode, headers: h.headers, body: '' }),
        onData: (c) => ((body += c.toString()), true),
        onEnd: () => resolve({ ...head!, body }),
        onError: (e) => resolve(e),
      },
    );
  });
}

/**
 * A raw TCP upstream: `answer(n, conn, socket)` writes what it likes for the n-th request head
 * (bodiless requests only) on connection `conn`.
 */
async function rawUpstream(answer: (n: number, conn: number, s: Socket) => void): Promise<{ port: number; connections: () => number; server: Server; close: () => Promise<void> }> {
  let conns = 0;
  let n = 0;
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    const conn = ++conns;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end !== -1; end = buf.indexOf('\r\n\r\n')) {
        buf = buf.slice(end + 4);
        answer(++n, conn, s);
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => conns,
    server,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('upstream connection pool', () => {
  it('keeps one connection alive for requests one after another', async () => {
    const up = await rawUpstream((n, _c, s) => s.write(ok(`r${n}`)));
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port });
    try {
      for (let i = 1; i <= 5; i++) assert.deepEqual(await send(pool), { status: 200, headers: ['Content-Length', '2'], body: `r${i}` });
      assert.equal(up.connections(), 1);
      assert.deepEqual(pool.size, { open: 1, idle: 1, queued: 0 });
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('never lets bytes beyond a response reach the next request (no desync)', async () => {
    // The upstream answers the first request twice; the second answer must not become the reply to request two.
    const up = await rawUpstream((n, _c, s) => s.write(n === 1 ? ok('first') + ok('forged') : ok(`real${n}`)));
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port });
    try {
      assert.equal(((await send(pool)) as Answer).body, 'first');
      assert.equal(((await send(pool)) as Answer).body, 'real2');
      assert.equal(up.connections(), 2, 'the connection that carried extra bytes was dropped');
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('drops a connection that speaks while idle', async () => {
    const up = await rawUpstream((n, _c, s) => {
      s.write(ok(`r${n}`));
      if (n === 1) setTimeout(() => s.write(ok('unsolicited')), 20);
    });
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port });
    try {
      assert.equal(((await send(pool)) as Answer).body, 'r1');
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(((await send(pool)) as Answer).body, 'r2');
      assert.equal(up.connections(), 2);
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('answers a malformed response with an error and does not reuse the connection', async () => {
    const up = await rawUpstream((n, _c, s) => s.write(n === 1 ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nok' : ok('fine')));
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port });
    try {
      const r = await send(pool);
      assert.ok(r instanceof Error && /both Content-Length and Transfer-Encoding/.test(r.message));
      assert.equal(((await send(pool)) as Answer).body, 'fine');
      assert.equal(up.connections(), 2);
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('retries an idempotent request once when a kept-alive connection turns out closed, and nothing else', async () => {
    // Each connection answers its first request and hangs up on the second without answering.
    const perConn = new Map<number, number>();
    const up = await rawUpstream((_n, conn, s) => {
      const k = (perConn.get(conn) ?? 0) + 1;
      perConn.set(conn, k);
      if (k === 1) s.write(ok(`c${conn}`));
      else s.destroy();
    });
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port });
    try {
      assert.equal(((await send(pool)) as Answer).body, 'c1');
      assert.equal(((await send(pool)) as Answer).body, 'c2', 'the GET went again on a fresh connection');
      const post = await send(pool, { method: 'POST' });
      assert.ok(post instanceof Error, 'a POST is not repeated behind the caller’s back');
      assert.equal(((await send(pool)) as Answer).body, 'c3');
      const withBody = await send(pool, { method: 'PUT', headers: ['host', 'up', 'content-length', '1'], body: Readable.from([Buffer.from('x')]) });
      assert.ok(withBody instanceof Error, 'nor a request whose body was already sent');
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('streams request bodies: as they are with a Content-Length, chunked without one', async () => {
    const seen: Array<{ te: string | undefined; cl: string | undefined; body: string }> = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ te: req.headers['transfer-encoding'], cl: req.headers['content-length'], body });
        res.end('done');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pool = new UpstreamPool({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    try {
      const parts = () => Readable.from([Buffer.from('abc'), Buffer.from(''), Buffer.from('defg')]);
      assert.equal(((await send(pool, { method: 'POST', headers: ['host', 'up', 'content-length', '7'], body: parts() })) as Answer).body, 'done');
      assert.equal(((await send(pool, { method: 'POST', body: parts() })) as Answer).body, 'done');
      assert.deepEqual(seen, [
        { te: undefined, cl: '7', body: 'abcdefg' },
        { te: 'chunked', cl: undefined, body: 'abcdefg' },
      ]);
    } finally {
      await pool.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('opens no more connections than allowed; the rest wait their turn', async () => {
    const up = await rawUpstream((n, _c, s) => setTimeout(() => s.write(ok(`r${n}`)), 20));
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port }, { connections: 2 });
    try {
      const all = await Promise.all(Array.from({ length: 6 }, () => send(pool)));
      assert.deepEqual(all.map((a) => (a as Answer).body).sort(), ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
      assert.equal(up.connections(), 2);
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('gives up on a silent upstream after the timeout, and on an idle connection past its time', async () => {
    const up = await rawUpstream((n, _c, s) => {
      if (n !== 2) s.write(`HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 1\r\n\r\n${n}`);
    });
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port }, { timeoutMs: 150 });
    try {
      assert.equal(((await send(pool)) as Answer).body, '1');
      // Keep-Alive: timeout=1 leaves no safe time to reuse: request two takes a new connection…
      const silent = await send(pool);
      assert.equal(up.connections(), 2);
      assert.ok(silent instanceof Error && /did not answer/.test(silent.message), String(silent));
      assert.equal(((await send(pool)) as Answer).body, '3');
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('stops when the caller gives up, and refuses a request that could split on the wire', async () => {
    let closed = false;
    const up = await rawUpstream((_n, _c, s) => s.on('close', () => (closed = true))); // never answers
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port });
    try {
      let heard = false;
      const call = pool.request({ method: 'GET', path: '/', headers: ['host', 'up'], body: null }, { onHead: () => (heard = true), onData: () => true, onEnd: () => (heard = true), onError: () => (heard = true) });
      await new Promise((r) => setTimeout(r, 50));
      call.abort();
      for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(closed, 'the upstream connection was closed');
      assert.equal(heard, false);
      const before = up.connections();
      const split = await send(pool, { headers: ['host', 'up', 'x-a', 'v\r\nX-Injected: 1'] });
      assert.ok(split instanceof Error && /malformed request/.test(split.message));
      const target = await send(pool, { path: '/a b' });
      assert.ok(target instanceof Error);
      assert.equal(up.connections(), before, 'nothing was sent');
    } finally {
      await pool.close();
      await up.close();
    }
  });

  it('fails what is queued and closes what is open when closed', async () => {
    const up = await rawUpstream(() => undefined); // never answers
    const pool = new UpstreamPool({ host: '127.0.0.1', port: up.port }, { connections: 1 });
    const a = send(pool);
    const b = send(pool);
    await new Promise((r) => setTimeout(r, 30));
    await pool.close();
    for (const r of await Promise.all([a, b])) assert.ok(r instanceof Error && /shutting down/.test(r.message), String(r));
    assert.deepEqual(pool.size, { open: 0, idle: 0, queued: 0 });
    await up.close();
  });
});
