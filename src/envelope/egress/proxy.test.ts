/**
 * The egress proxy end to end, on loopback only. Test host names are mapped to 127.0.0.1 by an
 * injected resolver; the injected connector records every dial (and would never dial anything but
 * loopback), so each refusal can assert that no connection was attempted.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { MirrorEvent } from '../mirror/types.js';
import type { ResolvedAddress } from './policy.js';
import { startEgressProxy, type EgressBlockEvent, type EgressProxy } from './proxy.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

async function selfSigned(name: string): Promise<{ cert: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: `CN=${name}`, keys, signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3_600_000),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: name }])],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { cert: cert.toString('pem'), key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n` };
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseResponse(text: string): RawResponse {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = rest.join('\r\n\r\n');
  if (headers['transfer-encoding'] === 'chunked') {
    let out = '';
    for (let m; (m = /^([0-9a-f]+)\r\n/i.exec(body)) && m[1] !== '0'; ) {
      const n = parseInt(m[1]!, 16);
      out += body.slice(m[0].length, m[0].length + n);
      body = body.slice(m[0].length + n + 2);
    }
    body = out;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

describe('egress proxy', () => {
  let upstream: Server;
  let tlsUpstream: TlsServer;
  let httpPort: number;
  let tlsPort: number;
  let tlsCert: string;
  let proxy: EgressProxy;
  const blocks: EgressBlockEvent[] = [];
  const dials: Array<{ host: string; port: number }> = [];
  const resolved: string[] = [];
  const mirrored: MirrorEvent[] = [];
  let rebindCalls = 0;

  const dns: Record<string, string[]> = {
    'api.allowed.test': ['127.0.0.1'],
    'tls.allowed.test': ['127.0.0.1'],
    'noflag.allowed.test': ['127.0.0.1'],
    'a.wild.test': ['10.0.0.5'],
    'll.allowed.test': ['169.254.10.1'],
    'md.allowed.test': ['169.254.169.254'],
    'md6.allowed.test': ['fd00:ec2::254'],
    'mapped.allowed.test': ['::ffff:127.0.0.1'],
    'mixed.allowed.test': ['8.8.4.4', '127.0.0.1'],
  };
  const resolver = async (name: string): Promise<ResolvedAddress[]> => {
    resolved.push(name);
    if (name === 'rebind.allowed.test') {
      // A rebinding resolver: fine on the first answer, metadata afterwards.
      return [{ address: rebindCalls++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    }
    return (dns[name] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const connector = (o: { host: string; port: number; family: 4 | 6 }): Socket => {
    dials.push({ host: o.host, port: o.port });
    // Safety net: this test never opens a connection beyond loopback, whatever the proxy asks.
    const loop = o.host === '127.0.0.1' || o.host === '::1';
    return netConnect({ host: '127.0.0.1', port: loop ? o.port : 1 });
  };

  before(async () => {
    upstream = createHttpServer((req, res) => {
      const redirects: Record<string, string> = {
        '/to-evil': 'http://evil.test/x', '/to-backslash': 'http:\\\\evil.test\\x', '/to-scheme-relative': '//evil.test/x',
        '/to-userinfo': `http://api.allowed.test:${httpPort}@evil.test/`, '/to-relative': '/landing', '/to-allowed': `http://api.allowed.test:${httpPort}/landing`,
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      };
      const loc = redirects[req.url ?? ''];
      if (loc) {
        res.writeHead(302, { location: loc });
        return res.end('moved');
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 's=1' });
        res.end(JSON.stringify({ path: req.url, host: req.headers.host, proxyAuth: req.headers['proxy-authorization'] ?? null, body }));
      });
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    httpPort = (upstream.address() as AddressInfo).port;
    const { cert, key } = await selfSigned('tls.allowed.test');
    tlsCert = cert;
    tlsUpstream = createTlsServer({ cert, key }, (s) => s.end('hello over tls'));
    tlsUpstream.listen(0, '127.0.0.1');
    await once(tlsUpstream, 'listening');
    tlsPort = (tlsUpstream.address() as AddressInfo).port;
    proxy = await startEgressProxy({
      allowList: [
        `api.allowed.test:${httpPort} loopback`,
        `tls.allowed.test:${tlsPort} loopback`,
        `rebind.allowed.test:${httpPort} loopback`,
        `noflag.allowed.test:${httpPort}`,
        'mapped.allowed.test',
        'mixed.allowed.test',
        '*.wild.test',
        'll.allowed.test',
        'md.allowed.test',
        'md6.allowed.test',
      ],
      resolver,
      connector,
      onBlock: (e) => blocks.push(e),
      mirror: { bodyLimit: 16, offer: (e) => (mirrored.push(e), true) },
      helloTimeoutMs: 2000,
    });
  });
  after(async () => {
    await proxy.close();
    upstream.close();
    tlsUpstream.close();
  });

  /** Sends raw bytes to the proxy and reads the whole response (the proxy closes refusals). */
  async function raw(text: string): Promise<RawResponse> {
    const s = netConnect({ host: '127.0.0.1', port: proxy.port });
    s.write(text);
    let out = '';
    s.on('data', (c: Buffer) => (out += c.toString('latin1')));
    await Promise.race([once(s, 'close'), new Promise((r) => setTimeout(r, 5000))]);
    s.destroy();
    return parseResponse(out);
  }
  const get = (url: string, extra = ''): Promise<RawResponse> => raw(`GET ${url} HTTP/1.1\r\nconnection: close\r\n${extra}\r\n`);

  /** Expects exactly one new block with `reason`, and no dial and (optionally) no DNS lookup. */
  async function expectBlocked(run: () => Promise<unknown>, reason: string, opts: { resolves?: boolean } = {}): Promise<EgressBlockEvent> {
    const b0 = blocks.length;
    const d0 = dials.length;
    const r0 = resolved.length;
    await run();
    assert.equal(blocks.length, b0 + 1, `one block event (got ${blocks.slice(b0).map((b) => b.reason).join(',') || 'none'})`);
    const ev = blocks[b0]!;
    assert.equal(ev.reason, reason, ev.detail);
    assert.ok(ev.detail.length > 0);
    assert.equal(dials.length, d0, 'no connection attempt reached the connector');
    if (opts.resolves === false) assert.equal(resolved.length, r0, 'no DNS lookup');
    return ev;
  }

  const refused = async (...args: Parameters<typeof expectBlocked>): Promise<void> => {
    await expectBlocked(...args);
  };

  describe('allowed traffic', () => {
    it('plain HTTP reaches an allowed host, by the checked address, with one lookup', async () => {
      const r0 = resolved.length;
      const d0 = dials.length;
      const res = await get(`http://api.allowed.test:${httpPort}/hello?q=1`, 'proxy-authorization: Basic c2VjcmV0\r\n');
      assert.equal(res.status, 200);
      const body = JSON.parse(res.body);
      assert.equal(body.path, '/hello?q=1');
      assert.equal(body.host, `api.allowed.test:${httpPort}`);
      assert.equal(body.proxyAuth, null, 'proxy credentials are not forwarded');
      assert.deepEqual(resolved.slice(r0), ['api.allowed.test']);
      assert.deepEqual(dials.slice(d0), [{ host: '127.0.0.1', port: httpPort }]);
    });
    it('case and a trailing dot are normalised before the check and the lookup', async () => {
      const r0 = resolved.length;
      const res = await raw(`GET http://API.Allowed.TEST.:${httpPort}/ HTTP/1.1\r\nhost: api.allowed.test.:${httpPort}\r\nconnection: close\r\n\r\n`);
      assert.equal(res.status, 200);
      assert.deepEqual(resolved.slice(r0), ['api.allowed.test']);
    });
    it('a Host header naming the proxy itself (bare http.request style) is replaced by the target', async () => {
      const res = await get(`http://api.allowed.test:${httpPort}/self`, `host: 127.0.0.1:${proxy.port}\r\n`);
      assert.equal(res.status, 200);
      assert.equal(JSON.parse(res.body).host, `api.allowed.test:${httpPort}`);
    });
    it('a POST body is forwarded', async () => {
      const res = await raw(`POST http://api.allowed.test:${httpPort}/p HTTP/1.1\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello`);
      assert.equal(JSON.parse(res.body).body, 'hello');
    });
    it('no re-resolution: a rebinding answer after the check is never used', async () => {
      const d0 = dials.length;
      const res = await get(`http://rebind.allowed.test:${httpPort}/`);
      assert.equal(res.status, 200);
      assert.equal(rebindCalls, 1);
      assert.deepEqual(dials.slice(d0), [{ host: '127.0.0.1', port: httpPort }]);
    });
    it('CONNECT carries TLS to an allowed host whose SNI matches (certificate verified)', async () => {
      const d0 = dials.length;
      const { status, socket } = await tunnel(`tls.allowed.test:${tlsPort}`);
      assert.equal(status, 200);
      const t = tlsConnect({ socket, servername: 'tls.allowed.test', ca: tlsCert });
      let text = '';
      t.on('data', (c: Buffer) => (text += c));
      await once(t, 'end');
      t.destroy();
      assert.equal(text, 'hello over tls');
      assert.deepEqual(dials.slice(d0), [{ host: '127.0.0.1', port: tlsPort }]);
    });
    it('relative and allowed redirects pass through', async () => {
      assert.equal((await get(`http://api.allowed.test:${httpPort}/to-relative`)).headers.location, '/landing');
      assert.equal((await get(`http://api.allowed.test:${httpPort}/to-allowed`)).status, 302);
    });
  });

  /** Opens a CONNECT tunnel and returns the socket positioned after the proxy's response head. */
  async function tunnel(authority: string): Promise<{ status: number; socket: Socket; text: string }> {
    const s = netConnect({ host: '127.0.0.1', port: proxy.port });
    s.write(`CONNECT ${authority} HTTP/1.1\r\nhost: ${authority}\r\n\r\n`);
    let buf = '';
    return new Promise((resolve) => {
      const done = (): void => {
        s.off('data', onData);
        resolve({ status: Number(buf.split(' ')[1]), socket: s, text: buf });
      };
      const onData = (c: Buffer): void => {
        buf += c.toString('latin1');
        if (buf.includes('\r\n\r\n')) done();
      };
      s.on('data', onData);
      s.on('close', done);
    });
  }

  /** Opens a tunnel, starts TLS with `servername`, and waits for the proxy to end it. */
  async function tlsThrough(authority: string, servername: string): Promise<void> {
    const { status, socket } = await tunnel(authority);
    assert.equal(status, 200);
    const t = tlsConnect({ socket, servername, ca: tlsCert });
    t.on('error', () => {});
    await Promise.race([once(socket, 'close'), new Promise((r) => setTimeout(r, 5000))]);
    t.destroy();
  }

  describe('bypass attempts (each refused, audited, never dialled)', () => {
    it('an unlisted host', async () => {
      const ev = await expectBlocked(() => get('http://evil.test/'), 'not-listed', { resolves: false });
      assert.equal(ev.target, 'evil.test:80');
    });
    for (const literal of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001']) {
      it(`an obfuscated IPv4 literal: ${literal}`, async () => {
        const ev = await expectBlocked(() => get(`http://${literal}:${httpPort}/`), 'ip-obfuscated', { resolves: false });
        assert.match(ev.detail, /means 127\.0\.0\.1/);
      });
    }
    it('a plain IP literal that is not listed by IP', () => refused(() => get(`http://127.0.0.1:${httpPort}/`), 'not-listed', { resolves: false }));
    for (const v6 of ['[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]', '[fd00:ec2::254]']) {
      it(`an IPv6 literal: ${v6}`, () => refused(() => get(`http://${v6}:${httpPort}/`), 'not-listed', { resolves: false }));
    }
    it('cloud metadata by IP and by name', async () => {
      await expectBlocked(() => get('http://169.254.169.254/latest/meta-data/'), 'not-listed', { resolves: false });
      await expectBlocked(() => get('http://metadata.google.internal/computeMetadata/v1/'), 'metadata-host', { resolves: false });
      await expectBlocked(() => get('http://METADATA.google.internal./'), 'metadata-host', { resolves: false });
    });
    it('userinfo tricks', async () => {
      await expectBlocked(() => get(`http://api.allowed.test:${httpPort}@evil.test/`), 'userinfo', { resolves: false });
      await expectBlocked(() => get(`http://evil.test@api.allowed.test:${httpPort}/`), 'userinfo', { resolves: false });
    });
    it('percent-encoding in the host', async () => {
      await expectBlocked(() => get(`http://api%2eallowed%2etest:${httpPort}/`), 'bad-host', { resolves: false });
      await expectBlocked(() => get(`http://api.allowed.test%00.evil.test:${httpPort}/`), 'bad-host', { resolves: false });
    });
    it('a trailing dot or case does not make an unlisted host pass', async () => {
      const ev = await expectBlocked(() => get('http://EVIL.test./'), 'not-listed', { resolves: false });
      assert.equal(ev.target, 'evil.test:80');
    });
    it('a Host header naming another site (domain fronting)', () =>
      refused(() => get(`http://api.allowed.test:${httpPort}/`, 'host: evil.test\r\n'), 'host-header-mismatch', { resolves: false }));
    it('an unlisted port on a listed host', () => refused(() => get('http://api.allowed.test:81/'), 'port-not-listed', { resolves: false }));
    it('https:// in absolute form (must use CONNECT)', () => refused(() => get(`https://api.allowed.test:${httpPort}/`), 'bad-request', { resolves: false }));
    it('a protocol upgrade', () =>
      refused(() => get(`http://api.allowed.test:${httpPort}/ws`, 'upgrade: websocket\r\nconnection: upgrade\r\n'), 'upgrade-refused', { resolves: false }));

    const dnsCases: Array<[string, string]> = [
      ['a.wild.test', 'resolved-private'], ['noflag.allowed.test', 'resolved-loopback'], ['ll.allowed.test', 'resolved-link-local'],
      ['md.allowed.test', 'resolved-metadata'], ['md6.allowed.test', 'resolved-metadata'], ['mapped.allowed.test', 'resolved-loopback'],
      ['mixed.allowed.test', 'resolved-loopback'],
    ];
    for (const [name, reason] of dnsCases) {
      it(`DNS answer: ${name} → ${reason}`, async () => {
        const port = name === 'noflag.allowed.test' ? httpPort : 80;
        const r0 = resolved.length;
        const ev = await expectBlocked(() => get(`http://${name}:${port}/`), reason);
        assert.deepEqual(resolved.slice(r0), [name], 'resolved exactly once');
        assert.ok(ev.addressClass);
      });
    }
    it('DNS answers are checked for CONNECT too', () => refused(() => tunnel('md.allowed.test:443'), 'resolved-metadata'));

    for (const [path, what] of [['/to-evil', 'absolute'], ['/to-backslash', 'backslashes'], ['/to-scheme-relative', 'scheme-relative'], ['/to-userinfo', 'userinfo'], ['/to-metadata', 'metadata IP']]) {
      it(`a redirect to an unlisted host (${what})`, async () => {
        const b0 = blocks.length;
        const d0 = dials.length;
        const res = await get(`http://api.allowed.test:${httpPort}${path}`);
        assert.equal(res.status, 502);
        assert.equal(res.headers.location, undefined, 'the Location never reaches the client');
        assert.equal(res.headers['x-esq-egress-block'], 'redirect-not-listed');
        assert.equal(blocks.length, b0 + 1);
        assert.equal(blocks[b0]!.reason, 'redirect-not-listed');
        assert.deepEqual(dials.slice(d0), [{ host: '127.0.0.1', port: httpPort }], 'only the allowed upstream was dialled');
      });
    }

    it('CONNECT to an unlisted host is refused before the tunnel opens', async () => {
      let res: { status: number; text: string } | undefined;
      await expectBlocked(async () => (res = await tunnel('evil.test:443')), 'not-listed', { resolves: false });
      assert.equal(res!.status, 403);
      assert.match(res!.text, /x-esq-egress-block: not-listed/);
    });
    it('CONNECT with userinfo, an obfuscated IP, or no port', async () => {
      await expectBlocked(() => tunnel(`api.allowed.test@evil.test:443`), 'userinfo', { resolves: false });
      await expectBlocked(() => tunnel('0x7f.1:443'), 'ip-obfuscated', { resolves: false });
      await expectBlocked(() => tunnel('tls.allowed.test'), 'bad-host', { resolves: false });
    });
    it('CONNECT whose TLS SNI names another host', async () => {
      const ev = await expectBlocked(() => tlsThrough(`tls.allowed.test:${tlsPort}`, 'evil.test'), 'sni-mismatch');
      assert.equal(ev.sni, 'evil.test');
      assert.equal(ev.entry, `tls.allowed.test:${tlsPort} loopback`);
    });
    it('CONNECT whose ClientHello has no SNI', () => refused(() => tlsThrough(`tls.allowed.test:${tlsPort}`, ''), 'sni-missing'));
    it('CONNECT carrying something other than TLS', async () => {
      await expectBlocked(async () => {
        const { socket } = await tunnel(`tls.allowed.test:${tlsPort}`);
        socket.write('GET / HTTP/1.1\r\nhost: evil.test\r\n\r\n');
        await Promise.race([once(socket, 'close'), new Promise((r) => setTimeout(r, 5000))]);
      }, 'tunnel-not-tls');
    });
    it('CONNECT that never sends a ClientHello times out', async () => {
      await expectBlocked(async () => {
        const { socket } = await tunnel(`tls.allowed.test:${tlsPort}`);
        await Promise.race([once(socket, 'close'), new Promise((r) => setTimeout(r, 5000))]);
      }, 'client-hello-timeout');
    });
  });

  describe('accounting', () => {
    it('counts every block by reason, matching the audit events', () => {
      const s = proxy.stats();
      assert.equal(s.blocked, blocks.length);
      const byReason: Record<string, number> = {};
      for (const b of blocks) byReason[b.reason] = (byReason[b.reason] ?? 0) + 1;
      assert.deepEqual(s.blockedByReason, byReason);
      assert.equal(s.allowed, 13);
      // Redirect refusals come after the request was allowed and dialled: they are the only overlap.
      assert.equal(s.requests, s.allowed + s.blocked - (byReason['redirect-not-listed'] ?? 0));
      assert.equal(s.errors, 0);
    });
    it('mirrors exchanges with size-capped bodies, off the request path', async () => {
      await new Promise((r) => setTimeout(r, 20));
      const post = mirrored.find((e) => e.method === 'POST' && e.path === '/p');
      assert.ok(post, 'the POST was mirrored');
      assert.equal(post.status, 200);
      assert.equal(Buffer.from(post.requestBody!.base64, 'base64').toString(), 'hello');
      assert.equal(post.responseBody!.base64.length > 0, true);
      assert.equal(post.responseBody!.truncated, true);
      assert.equal(Buffer.from(post.responseBody!.base64, 'base64').length, 16);
      assert.ok(mirrored.some((e) => e.kind === 'tunnel' && e.sni === 'tls.allowed.test' && (e.bytesIn ?? 0) > 0));
      assert.ok(mirrored.some((e) => e.blocked === 'sni-mismatch'));
    });
  });
});

describe('egress proxy configuration', () => {
  it('refuses to listen beyond loopback', async () => {
    await assert.rejects(startEgressProxy({ allowList: [], host: '0.0.0.0' }), /loopback/);
  });
  it('refuses a bad allow-list before listening', async () => {
    await assert.rejects(startEgressProxy({ allowList: ['metadata.google.internal'] }), /only by IP/);
  });
});
