import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestError, RequestParser, type RequestHead } from './request-parser.js';

/** Parses `wire` fed in pieces of `step` bytes; returns what the sink heard and what was left over. */
function parse(wire: string, step = wire.length): { heads: RequestHead[]; body: string; ended: boolean; rest: string | undefined } {
  const heads: RequestHead[] = [];
  let body = '';
  let ended = false;
  const p = new RequestParser({ head: (h) => heads.push(h), data: (c) => (body += c.toString('latin1')), end: () => (ended = true) });
  let rest: Buffer | undefined;
  const buf = Buffer.from(wire, 'latin1');
  for (let i = 0; i < buf.length && rest === undefined; i += step) rest = p.push(buf.subarray(i, i + step));
  return { heads, body, ended, rest: rest?.toString('latin1') };
}

const refusal = (wire: string): { status: number; message: string } => {
  try {
    parse(wire);
  } catch (e) {
    assert.ok(e instanceof RequestError, `not a RequestError: ${(e as Error).message}`);
    return { status: e.status, message: e.message };
  }
  assert.fail(`accepted: ${JSON.stringify(wire)}`);
};

describe('ingress request parser', () => {
  it('reads a request head and hands back the pipelined next request untouched', () => {
    const r = parse('GET /a?x=1 HTTP/1.1\r\nHost: svc\r\nX-Multi: 1\r\nX-Multi: 2\r\n\r\nGET /b HTTP/1.1\r\n');
    assert.equal(r.heads.length, 1);
    assert.deepEqual({ ...r.heads[0], rawHeaders: r.heads[0]!.rawHeaders }, { method: 'GET', target: '/a?x=1', version: '1.1', rawHeaders: ['Host', 'svc', 'X-Multi', '1', 'X-Multi', '2'], close: false, hasBody: false, expectsContinue: false });
    assert.ok(r.ended);
    assert.equal(r.rest, 'GET /b HTTP/1.1\r\n');
  });

  it('decodes Content-Length and chunked bodies fed a byte at a time', () => {
    const cl = parse('POST / HTTP/1.1\r\nHost: s\r\nContent-Length: 5\r\n\r\nhelloGET', 1);
    assert.equal(cl.body, 'hello');
    assert.equal(cl.rest, ''); // the body ended with the byte that completed it: nothing over
    const ch = parse('POST / HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n', 1);
    assert.equal(ch.body, 'hello world');
    assert.ok(ch.ended && ch.heads[0]!.hasBody);
  });

  it('refuses the request-smuggling ambiguities with 400', () => {
    for (const wire of [
      'POST / HTTP/1.1\r\nHost: s\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: s\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: s\r\nContent-Length: +5\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: s\r\nX-Folded: a\r\n b\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: s\r\nBad Name: x\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: s\r\nX: a\rb\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: s\nX: y\r\n\r\n',
      'GET / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
      'GET /a b HTTP/1.1\r\nHost: s\r\n\r\n',
      'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ]) assert.equal(refusal(wire).status, 400, JSON.stringify(wire));
  });

  it('answers other refusals with the status that says why', () => {
    assert.equal(refusal('POST / HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: gzip, chunked\r\n\r\n').status, 501);
    assert.equal(refusal('POST / HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked, gzip\r\n\r\n').status, 501);
    assert.equal(refusal('GET / HTTP/2.0\r\nHost: s\r\n\r\n').status, 505);
    assert.equal(refusal('GET / HTTP/1.1\r\nHost: s\r\nExpect: 200-ok\r\n\r\n').status, 417);
    assert.equal(refusal(`GET / HTTP/1.1\r\nHost: s\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`).status, 431);
    assert.equal(refusal(`GET / HTTP/1.1\r\nHost: s\r\nX: ${'a'.repeat(20_000)}`).status, 431); // before the end of the head arrives
  });

  it('knows when the connection is to close, and HTTP/1.0 needs no Host', () => {
    assert.equal(parse('GET / HTTP/1.1\r\nHost: s\r\nConnection: keep-alive, close\r\n\r\n').heads[0]!.close, true);
    assert.equal(parse('GET / HTTP/1.0\r\n\r\n').heads[0]!.close, true);
    assert.equal(parse('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n').heads[0]!.close, false);
    assert.equal(parse('POST / HTTP/1.1\r\nHost: s\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx').heads[0]!.expectsContinue, true);
  });

  it('skips empty lines before a request line', () => {
    const r = parse('\r\n\r\nGET / HTTP/1.1\r\nHost: s\r\n\r\n');
    assert.equal(r.heads[0]!.target, '/');
  });
});
