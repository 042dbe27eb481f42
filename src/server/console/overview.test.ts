import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditRecord } from '../../audit/chain/record.js';
import { summarise } from './overview.js';

const now = new Date('2026-11-22T10:30:20.000Z');
let seq = 0;
function rec(secondsAgo: number, effect: string, data: Record<string, unknown> = {}, kind = 'decision'): AuditRecord {
  return { seq: ++seq, time: new Date(now.getTime() - secondsAgo * 1000).toISOString(), kind, effect, data, prevHash: '0'.repeat(64), hash: '0'.repeat(64) };
}

describe('overview traffic', () => {
  it('buckets decisions, blocks and guardrail findings by minute, ending with the current minute', () => {
    const t = summarise(
      [
        rec(5, 'allow', { evalMicros: 3 }),
        rec(10, 'block', { evalMicros: 9, findings: [{ entity: 'US_SSN' }, { entity: 'EMAIL' }] }),
        rec(65, 'scrub', { evalMicros: 5, findings: [{ entity: 'EMAIL' }] }),
        rec(70, 'warn', { evalMicros: 4, findings: [{ entity: 'EMAIL' }] }), // findings only count when refused or scrubbed
        rec(30, 'allow', {}, 'approval.vote'), // not a decision
        rec(4 * 60 + 30, 'block'), // before the window
      ],
      now,
      3,
    );
    assert.deepEqual(t.t, [Date.parse('2026-11-22T10:28:00Z') / 1000, Date.parse('2026-11-22T10:29:00Z') / 1000, Date.parse('2026-11-22T10:30:00Z') / 1000]);
    assert.deepEqual(t.decisions, [0, 2, 2]);
    assert.deepEqual(t.blocked, [0, 0, 1]);
    assert.deepEqual(t.guardrail, [0, 1, 2]);
    assert.deepEqual([t.latency.p50Micros, t.latency.p95Micros, t.latency.samples], [4, 9, 4]);
    assert.equal(t.decisionsPerSecond, 5 / 300, 'five decisions in the last five minutes');
  });

  it('reports an empty window as zeros and no latency', () => {
    const t = summarise([], now, 60);
    assert.equal(t.t.length, 60);
    assert.ok(t.decisions.every((n) => n === 0));
    assert.deepEqual(t.latency, { p50Micros: null, p95Micros: null, samples: 0 });
    assert.equal(t.decisionsPerSecond, 0);
  });
});
