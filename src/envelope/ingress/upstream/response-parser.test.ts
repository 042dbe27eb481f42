import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseParser, UpstreamProtocolError, type ResponseHead } from './response-parser.js';

interface Parsed {
  heads: ResponseHead[];
  body: string;
  ended: boolean;
  parser: ResponseParser;
}

/** Feeds `wire` to a parser in pieces of `step` bytes (1: byte by byte). */
function parse(wire: string, o: { step?: number; head?: boolean } = {}): Parsed {
  const out: Parsed = { heads: [], body: '', ended: false, parser: undefined as unknown as ResponseParser };
  out.parser = new ResponseParser(
    {
      head: (h) => out.heads.push(h),
      data: (c) => (out.body += c.toString('latin1')),
      end: () => (out.ended = true),
    },
    !o.head,
  );
  const buf = Buffer.from(wire, 'latin1');
  const step = o.step ?? buf.length;
  for (let i = 0; i < buf.length; i += step) out.parser.push(buf.subarray(i, i + step));
  return out;
}

const refused = (wire: string, why: RegExp, o: { step?: number; head?: boolean } = {}) =>
  assert.throws(() => parse(wire, o), (e: Error) => e instanceof UpstreamProtocolError && why.test(e.message), JSON.stringify(wire));

describe('upstream response parser', () => {
  it('reads a Content-Length body, whole or byte by byte, and keeps the header fields as sent', () => {
    const wire = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 11\r\nKeep-Alive: timeout=5\r\n\r\nhello world';
    for (const step of [undefined, 1, 7]) {
      const r = parse(wire, step ? { step } : {});
      assert.equal(r.heads.length, 1);
      assert.deepEqual(r.heads[0], {
        statusCode: 200,
        statusMessage: 'OK',
        headers: ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '11', 'Keep-Alive', 'timeout=5'],
        reusable: true,
        keepAliveS: 5,
      });
      assert.equal(r.body, 'hello world');
      assert.ok(r.ended && r.parser.done && r.parser.reusable);
    }
  });

  it('decodes chunked bodies with extensions and trailers, in any split', () => {
    const wire = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (const step of [undefined, 1, 3]) {
      const r = parse(wire, step ? { step } : {});
      assert.equal(r.body, 'hello world');
      assert.ok(r.ended && r.parser.reusable);
    }
  });

  it('skips interim responses and reports the final one', () => {
    const r = parse('HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    assert.deepEqual(
      r.heads.map((h) => h.statusCode),
      [200],
    );
    assert.equal(r.body, 'ok');
  });

  it('knows the responses that have no body whatever their headers say', () => {
    const head = parse('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n', { head: true });
    assert.ok(head.ended && head.parser.reusable && head.body === '');
    for (const code of [204, 304]) {
      const r = parse(`HTTP/1.1 ${code} X\r\nContent-Length: 9\r\n\r\n`);
      assert.ok(r.ended && r.body === '', String(code));
    }
  });

  it('reads an unframed body until the connection ends, and never reuses that connection', () => {
    const r = parse('HTTP/1.1 200 OK\r\n\r\npart one, ');
    r.parser.push(Buffer.from('part two'));
    assert.ok(!r.ended);
    r.parser.eof();
    assert.ok(r.ended && !r.parser.reusable);
    assert.equal(r.body, 'part one, part two');
  });

  it('does not reuse a connection the upstream says it will close, nor an HTTP/1.0 one', () => {
    assert.equal(parse('HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n').parser.reusable, false);
    assert.equal(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').parser.reusable, false);
    assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').parser.reusable, true);
  });

  it('refuses ambiguous framing', () => {
    refused('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n', /both Content-Length and Transfer-Encoding/);
    refused('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n', /conflicting Content-Length/);
    refused('HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\n', /Content-Length/);
    refused('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /Content-Length/);
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', /unsupported Transfer-Encoding/);
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', /unsupported Transfer-Encoding/);
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n', /unsupported Transfer-Encoding/);
  });

  it('refuses malformed heads', () => {
    refused('HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n', /folded header line/);
    refused('HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n', /bad header line/);
    refused('HTTP/1.1 200 OK\r\nX-A: 1\nX-Smuggled: 2\r\n\r\n', /bad header line/);
    refused('HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n', /bad header line/);
    refused('HTTP/2 200 OK\r\n\r\n', /bad status line/);
    refused('HTTP/1.1 20 OK\r\n\r\n', /bad status line/);
    refused('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n', /switching protocols/);
    refused(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}`, /head over/);
  });

  it('refuses malformed chunks', () => {
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size/);
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n', /not followed by CRLF/);
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n', /bad chunk size/);
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n', /bad trailer line/);
  });

  it('refuses bytes after the response, having delivered the response itself', () => {
    const out: string[] = [];
    const p = new ResponseParser({ head: () => undefined, data: (c) => out.push(c.toString()), end: () => out.push('<end>') }, true);
    assert.throws(() => p.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged')), /bytes after the end/);
    assert.deepEqual(out, ['ok', '<end>']);
    assert.ok(p.done && !p.reusable);
  });

  it('refuses a connection that ends before the response does', () => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort');
    assert.throws(() => r.parser.eof(), /closed before the response was complete/);
    const chunked = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel');
    assert.throws(() => chunked.parser.eof(), /closed before/);
  });
});
