import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from './pii.js';

describe('eval:pii end to end (built-in analyzer, small corpus)', () => {
  it('prints the table and writes the JSON result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esq-pii-eval-'));
    try {
      const out = join(dir, 'r.json');
      let printed = '';
      const code = main(['--positives', '60', '--negatives', '40', '--seed', '11', '--out', out], (s) => (printed += s));
      assert.equal(code, 0);
      assert.match(printed, /overall \(all labels\)/);
      assert.match(printed, /Hard negatives: 40 texts/);
      const r = JSON.parse(readFileSync(out, 'utf8'));
      assert.deepEqual([r.meta.seed, r.meta.positives, r.meta.negatives, r.meta.minScore], [11, 60, 40, 0.4]);
      assert.equal(r.negatives.texts, 40);
      assert.ok(r.overall.all.labels > 100);
      assert.equal(r.overall.all.labels, r.overall.all.tp + r.overall.all.fn);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options', () => {
    assert.throws(() => main(['--min-score', '2'], () => {}), /min-score/);
    assert.throws(() => main(['--positives', '-1'], () => {}), /positives/);
  });
});
