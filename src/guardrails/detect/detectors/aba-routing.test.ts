import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { ABA_BARE_VALID_SCORE, abaChecksumValid, abaRoutingDetector } from './aba-routing.js';

const analyzer = new Analyzer([abaRoutingDetector]);
const raw = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => [text.slice(f.start, f.end), f.score]);

describe('ABA_ROUTING_NUMBER', () => {
  it('runs the 3-7-1 checksum', () => {
    assert.equal(abaChecksumValid('121000358'), true);
    assert.equal(abaChecksumValid('071101307'), true);
    assert.equal(abaChecksumValid('121000359'), false);
    assert.equal(abaChecksumValid('12100035'), false);
    assert.equal(abaChecksumValid('12100035a'), false);
  });

  it('confirms the dashed form at 1.0 and keeps a bare valid number below the threshold', () => {
    assert.deepEqual(raw('0711-0130-7'), [['0711-0130-7', 1]]);
    assert.deepEqual(raw('121000358'), [['121000358', ABA_BARE_VALID_SCORE]]);
    assert.ok(ABA_BARE_VALID_SCORE < 0.4);
    assert.deepEqual(analyzer.analyze('order 121000358 shipped'), []);
  });

  it('lets context words lift a bare number', () => {
    const [f] = analyzer.analyze('our routing number is 121000358');
    assert.ok(f && f.score >= 0.4);
  });

  it('reads the context over a phrase of up to eight words before the number', () => {
    // "routing" is six words back: past Presidio's five-word window.
    assert.deepEqual(
      analyzer.analyze('the routing number on my checks is 121000358').map((f) => f.entity),
      ['ABA_ROUTING_NUMBER'],
    );
    assert.equal(analyzer.analyze('ABA number for wires to our business account: 121000358').length, 1);
    // Nine words back is another sentence's business.
    assert.deepEqual(analyzer.analyze('routing is done by the team and the order number is 121000358'), []);
  });

  it('drops checksum failures and numbers with the wrong first digit', () => {
    assert.deepEqual(raw('1234-0000-0 121000359'), []);
    assert.deepEqual(raw('421042111 9210-0035-8'), []);
  });
});
