import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { SCORE_BARE, SCORE_CODE_LIKE, SCORE_SCHEME, trimUrlEnd, url } from './url.js';

const analyzer = new Analyzer([url]);
const found = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('URL detector', () => {
  it('finds URLs with a scheme, with port, path, query and fragment', () => {
    assert.deepEqual(found('see https://portal.example.com:8443/a/b?x=1&y=2#top.'), [['https://portal.example.com:8443/a/b?x=1&y=2#top', SCORE_SCHEME]]);
    assert.deepEqual(found('ftp://user:pw@files.example.org/x'), [['ftp://user:pw@files.example.org/x', SCORE_SCHEME]]);
    assert.deepEqual(found('http://10.0.0.5/admin and http://[2001:db8::1]/p'), [
      ['http://10.0.0.5/admin', SCORE_SCHEME],
      ['http://[2001:db8::1]/p', SCORE_SCHEME],
    ]);
  });

  it('finds bare domains at 0.5', () => {
    assert.deepEqual(found('my domains: microsoft.com google.co.il www.example.org/path'), [
      ['microsoft.com', SCORE_BARE],
      ['google.co.il', SCORE_BARE],
      ['www.example.org/path', SCORE_BARE],
    ]);
  });

  it('trims sentence punctuation and unbalanced brackets, keeps balanced ones', () => {
    assert.deepEqual(found('(see https://en.wikipedia.org/wiki/Foo_(bar)).'), [['https://en.wikipedia.org/wiki/Foo_(bar)', SCORE_SCHEME]]);
    assert.deepEqual(found('[docs](https://docs.example.org/a)'), [['https://docs.example.org/a', SCORE_SCHEME]]);
    assert.equal(trimUrlEnd('x.com/a),', 0, 9), 7);
  });

  it('reports a quoted URL with its quotes, as Presidio does', () => {
    assert.deepEqual(found('"https://presidio.example.org/"'), [['"https://presidio.example.org/"', SCORE_SCHEME]]);
  });

  it('keeps code and file names under the threshold', () => {
    for (const text of ['open main.py', 'see README.md', 'print(user.name)', 'console.log(x)', 'userName.email']) {
      for (const [, score] of found(text)) assert.equal(score, SCORE_CODE_LIKE, text);
    }
  });

  it('rejects hosts without a registrable public suffix and e-mail domains', () => {
    for (const text of ['www.microsoft', 'http://microsoft', "'www.microsoft'", 'http://localhost:8080/x', 'e.g. this', 'pi is 3.14', 'jane@example.com', 'file.txt', 'ends here.Then']) {
      assert.deepEqual(found(text), [], text);
    }
  });
});
