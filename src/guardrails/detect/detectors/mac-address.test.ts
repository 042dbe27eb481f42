import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { isPlaceholderMac, macAddress } from './mac-address.js';

const analyzer = new Analyzer([macAddress]);
const found = (text: string) => analyzer.analyze(text, { minScore: 0, context: false }).map((f) => text.slice(f.start, f.end));

describe('MAC address detector', () => {
  it('finds colon, dash and Cisco forms', () => {
    assert.deepEqual(found('eth0 00:1A:2B:3C:4D:5E, wlan aa-bb-cc-dd-ee-01 and 0012.3456.789a.'), ['00:1A:2B:3C:4D:5E', 'aa-bb-cc-dd-ee-01', '0012.3456.789a']);
  });

  it('rejects mixed separators, short runs, longer runs and placeholders', () => {
    for (const text of ['10:2F:33-AC-29-C3', '00:1A:2B:3C:4D', '00:1A:2B:3C:4D:5E:6F', 'FF:FF:FF:FF:FF:FF', '00-00-00-00-00-00', 'x00:1A:2B:3C:4D:5E', 'well-to-do up-to-date']) {
      assert.deepEqual(found(text), [], text);
    }
  });

  it('isPlaceholderMac', () => {
    assert.equal(isPlaceholderMac('ff:ff:ff:ff:ff:ff'), true);
    assert.equal(isPlaceholderMac('0000.0000.0000'), true);
    assert.equal(isPlaceholderMac('00:00:00:00:00:01'), false);
  });
});
