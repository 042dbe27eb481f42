import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Analyzer } from '../analyzer.js';
import { healthPlanIdDetector, healthPlanShape } from './health-plan-id.js';

const analyzer = new Analyzer([healthPlanIdDetector]);
const shown = (text: string) => analyzer.analyze(text).map((f) => text.slice(f.start, f.end));

describe('HEALTH_PLAN_ID', () => {
  it('accepts member-number shapes only', () => {
    for (const ok of ['XYZ123456789', 'W123456789', 'U12345678-01', '987654321A', '123456', 'ABCD12345678901234ZZ-99'])
      assert.equal(healthPlanShape(ok), true, ok);
    for (const bad of ['12345', 'ABCDE123456', '123456ABC', '123456-1', '123456-012', '123456789012345', 'AB-123456'])
      assert.equal(healthPlanShape(bad), false, bad);
  });

  it('reports member numbers next to plan context words', () => {
    assert.deepEqual(shown('Member ID: XYZ123456789'), ['XYZ123456789']);
    assert.deepEqual(shown('subscriber W123456789 is covered'), ['W123456789']);
    assert.deepEqual(shown('policy number U12345678-01'), ['U12345678-01']);
    assert.deepEqual(shown('health plan id 987654321A'), ['987654321A']);
  });

  it('keeps the same shapes below the threshold without context', () => {
    assert.deepEqual(shown('tracking XYZ123456789 delivered; invoice 123456789'), []);
  });

  it('ignores short numbers and long letter prefixes', () => {
    assert.deepEqual(shown('member id 12345, member id ABCDE123456'), []);
  });
});
