import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { before, describe, it } from 'node:test';
import { parseClientHello } from './client-hello.js';

/** Captures the first flight of a real Node TLS client aimed at a loopback listener. */
async function captureHello(servername: string): Promise<Buffer> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const got = new Promise<Buffer>((resolve) => {
    server.once('connection', (s) => {
      let buf = Buffer.alloc(0);
      s.on('data', (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        if (parseClientHello(buf).state !== 'need-more') {
          resolve(buf);
          s.destroy();
        }
      });
    });
  });
  const client = tlsConnect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, servername, rejectUnauthorized: false });
  client.on('error', () => {});
  const hello = await got;
  client.destroy();
  server.close();
  return hello;
}

/** Splits one TLS record's handshake payload into records of at most `size` bytes. */
function fragment(hello: Buffer, size: number): Buffer {
  const payload = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const out: Buffer[] = [];
  for (let i = 0; i < payload.length; i += size) {
    const part = payload.subarray(i, i + size);
    const head = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    head.writeUInt16BE(part.length, 3);
    out.push(head, part);
  }
  return Buffer.concat(out);
}

/** Appends an extension to a single-record ClientHello, fixing every length on the way. */
function withExtension(hello: Buffer, type: number, data: Buffer): Buffer {
  const ext = Buffer.alloc(4 + data.length);
  ext.writeUInt16BE(type, 0);
  ext.writeUInt16BE(data.length, 2);
  data.copy(ext, 4);
  const body = hello.subarray(9, 5 + hello.readUInt16BE(3));
  let p = 34;
  p += 1 + body[p]!;
  p += 2 + body.readUInt16BE(p);
  p += 1 + body[p]!;
  const extLen = body.readUInt16BE(p);
  const newBody = Buffer.concat([body.subarray(0, p), Buffer.from([0, 0]), body.subarray(p + 2, p + 2 + extLen), ext]);
  newBody.writeUInt16BE(extLen + ext.length, p);
  const hs = Buffer.concat([Buffer.from([1, 0, 0, 0]), newBody]);
  hs.writeUIntBE(newBody.length, 1, 3);
  const rec = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0, 0]), hs]);
  rec.writeUInt16BE(hs.length, 3);
  return rec;
}

describe('ClientHello parsing', () => {
  let hello: Buffer;
  before(async () => {
    hello = await captureHello('api.allowed.test');
  });
  it('reads the SNI of a real Node TLS ClientHello', () => {
    assert.deepEqual(parseClientHello(hello), { state: 'done', sni: 'api.allowed.test', ech: false });
  });
  it('asks for more bytes until the hello is complete', () => {
    for (const n of [0, 1, 5, 40, hello.length - 1]) assert.equal(parseClientHello(hello.subarray(0, n)).state, 'need-more', `${n} bytes`);
  });
  it('reassembles a hello split over many small records', () => {
    const split = fragment(hello, 37);
    assert.ok(split.length > hello.length + 5 * 5);
    assert.deepEqual(parseClientHello(split), { state: 'done', sni: 'api.allowed.test', ech: false });
  });
  it('flags an Encrypted ClientHello extension', () => {
    const r = parseClientHello(withExtension(hello, 0xfe0d, Buffer.from([0, 1, 2, 3])));
    assert.equal(r.state === 'done' && r.ech, true);
  });
  it('refuses a second server_name extension', () => {
    const sni = Buffer.from([0, 8, 0, 0, 5, ...Buffer.from('e.com')]);
    assert.equal(parseClientHello(withExtension(hello, 0, sni)).state, 'invalid');
  });
  it('recognises non-TLS bytes and interleaved record types', () => {
    assert.equal(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n')).state, 'not-tls');
    const split = fragment(hello, 64);
    split[69] = 0x17; // the second record claims to be application data
    assert.equal(parseClientHello(split).state, 'invalid');
  });
});
