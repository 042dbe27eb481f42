import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { domainEnd, email, localStart } from './email.js';

const analyzer = new Analyzer([email]);
const found = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('email detector', () => {
  it('finds addresses with a real public suffix at 1.0', () => {
    assert.deepEqual(found('write to jane.doe+lab@clinic.example.com today'), [['jane.doe+lab@clinic.example.com', 1]]);
    assert.deepEqual(found('a@xn--d1acufc.xn--p1ai and user@пример.рф'), [
      ['a@xn--d1acufc.xn--p1ai', 1],
      ['user@пример.рф', 1],
    ]);
    assert.deepEqual(found('r.smith@mail.co.uk, support@clinic.net.'), [
      ['r.smith@mail.co.uk', 1],
      ['support@clinic.net', 1],
    ]);
  });

  it('leaves out surrounding quotes, brackets and punctuation', () => {
    assert.deepEqual(found('"jane@example.com"'), [['jane@example.com', 1]]);
    assert.deepEqual(found('<jane@example.com>'), [['jane@example.com', 1]]);
    assert.deepEqual(found('mailto:jane@example.com.'), [['jane@example.com', 1]]);
    assert.deepEqual(found('https://x.example.com/u?user=jane@example.com&x=1'), [['jane@example.com', 1]]);
  });

  it('rejects domains without a known suffix and malformed addresses', () => {
    for (const text of ['my email is info@presidio.', 'user@localhost', 'admin@intranet.corp', '@mention', 'a@b', 'x@123.45', 'jane.@example.com', 'jane@-example.com', 'hello-world here']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('localStart reads the local part backwards and trims leading punctuation', () => {
    const t = "('o'brien@example.com";
    assert.equal(t.slice(localStart(t, t.indexOf('@'))), "o'brien@example.com");
    assert.equal(localStart('.@x.com', 1), -1);
    assert.equal(localStart(`${'a'.repeat(65)}@example.com`, 65), -1);
  });

  it('domainEnd validates the domain after the @', () => {
    assert.equal(domainEnd('a@example.com.', 2), 13);
    assert.equal(domainEnd('a@example.invalidtld', 2), -1);
    assert.equal(domainEnd('a@www.microsoft', 2), -1);
  });
});
