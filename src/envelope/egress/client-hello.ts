/**
 * Reads the server name (SNI) from the first bytes a client sends into a CONNECT tunnel: a TLS
 * ClientHello, possibly split over several records. Only parses; never answers.
 */

export const CLIENT_HELLO_MAX_BYTES = 64 * 1024;

const EXT_SERVER_NAME = 0x0000;
/** Encrypted Client Hello (RFC 9460 era) and its ESNI predecessor hide the real server name. */
const EXT_ECH = 0xfe0d;
const EXT_ESNI = 0xffce;

export type HelloParse =
  | { state: 'need-more' }
  | { state: 'not-tls' }
  | { state: 'invalid'; why: string }
  | { state: 'done'; sni: string | undefined; ech: boolean };

/** Parses from the start of the tunnel's bytes; call again with more bytes on `need-more`. */
export function parseClientHello(buf: Buffer): HelloParse {
  if (buf.length === 0) return { state: 'need-more' };
  if (buf[0] !== 0x16) return { state: 'not-tls' };
  // Reassemble the handshake layer from consecutive handshake records.
  const parts: Buffer[] = [];
  let have = 0;
  let off = 0;
  let need = -1;
  while (need < 0 || have < need) {
    if (buf.length < off + 5) return buf.length >= CLIENT_HELLO_MAX_BYTES ? { state: 'invalid', why: 'too large' } : { state: 'need-more' };
    if (buf[off] !== 0x16) return { state: 'invalid', why: 'handshake interrupted by another record type' };
    if (buf[off + 1] !== 0x03) return { state: 'invalid', why: 'not a TLS record version' };
    const len = buf.readUInt16BE(off + 3);
    if (len === 0 || len > 16384 + 256) return { state: 'invalid', why: 'bad record length' };
    if (buf.length < off + 5 + len) return buf.length >= CLIENT_HELLO_MAX_BYTES ? { state: 'invalid', why: 'too large' } : { state: 'need-more' };
    parts.push(buf.subarray(off + 5, off + 5 + len));
    have += len;
    off += 5 + len;
    if (need < 0 && have >= 4) {
      const hs = Buffer.concat(parts);
      if (hs[0] !== 0x01) return { state: 'invalid', why: 'first handshake message is not a ClientHello' };
      need = 4 + hs.readUIntBE(1, 3);
      if (need > CLIENT_HELLO_MAX_BYTES) return { state: 'invalid', why: 'too large' };
    }
  }
  return parseBody(Buffer.concat(parts).subarray(4, need));
}

function parseBody(b: Buffer): HelloParse {
  const bad = (why: string): HelloParse => ({ state: 'invalid', why });
  let p = 2 + 32; // client_version, random
  if (b.length < p + 1) return bad('truncated');
  p += 1 + b[p]!; // session id
  if (b.length < p + 2) return bad('truncated');
  p += 2 + b.readUInt16BE(p); // cipher suites
  if (b.length < p + 1) return bad('truncated');
  p += 1 + b[p]!; // compression methods
  if (p === b.length) return { state: 'done', sni: undefined, ech: false }; // no extensions at all
  if (b.length < p + 2) return bad('truncated');
  const end = p + 2 + b.readUInt16BE(p);
  if (end > b.length) return bad('truncated extensions');
  p += 2;
  let sni: string | undefined;
  let ech = false;
  let sawSni = false;
  while (p < end) {
    if (p + 4 > end) return bad('truncated extension');
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    const data = b.subarray(p + 4, p + 4 + len);
    if (p + 4 + len > end) return bad('truncated extension');
    p += 4 + len;
    if (type === EXT_ECH || type === EXT_ESNI) ech = true;
    if (type !== EXT_SERVER_NAME) continue;
    if (sawSni) return bad('two server_name extensions');
    sawSni = true;
    const r = readServerName(data);
    if (typeof r !== 'string' && r !== undefined) return r;
    sni = r;
  }
  return { state: 'done', sni, ech };
}

function readServerName(d: Buffer): string | undefined | HelloParse {
  if (d.length < 2) return { state: 'invalid', why: 'bad server_name' };
  const listEnd = 2 + d.readUInt16BE(0);
  if (listEnd > d.length) return { state: 'invalid', why: 'bad server_name' };
  let q = 2;
  let name: string | undefined;
  while (q < listEnd) {
    if (q + 3 > listEnd) return { state: 'invalid', why: 'bad server_name' };
    const kind = d[q]!;
    const n = d.readUInt16BE(q + 1);
    if (q + 3 + n > listEnd) return { state: 'invalid', why: 'bad server_name' };
    if (kind === 0) {
      // Two host_name entries would let a middlebox and the server disagree on which one counts.
      if (name !== undefined) return { state: 'invalid', why: 'two host names in server_name' };
      const raw = d.subarray(q + 3, q + 3 + n);
      if (raw.some((c) => c < 0x21 || c > 0x7e)) return { state: 'invalid', why: 'non-ASCII server name' };
      name = raw.toString('ascii');
    }
    q += 3 + n;
  }
  return name;
}
