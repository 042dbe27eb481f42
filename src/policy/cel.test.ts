import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import RE2 from 're2';
import { makeActivation, re2Test } from './cel.js';
import { compileCondition } from './condition.js';
import { FIXED_NOW } from '../../test/helpers.js';

describe('remembered RE2 results', () => {
  it('agree with RE2 itself for repeated, varied, long and dynamic subjects', () => {
    const pattern = '(^|[._])phi([._]|$)';
    const direct = new RE2(pattern, 'u');
    const subjects = ['export_phi', 'phi.read', 'philosophy', 'list_reports', 'a.phi', '', 'x'.repeat(300) + '_phi', 'x'.repeat(300)];
    for (let round = 0; round < 3; round++) for (const s of subjects) assert.equal(re2Test(pattern, s), direct.test(s), s.slice(0, 20));
  });

  it('stay bounded and correct past their capacity', () => {
    const pattern = '^n[0-9]*7$';
    for (let i = 0; i < 5000; i++) assert.equal(re2Test(pattern, `n${i}`), String(i).endsWith('7'));
    // Earlier subjects, long evicted, still answer correctly.
    assert.equal(re2Test(pattern, 'n17'), true);
    assert.equal(re2Test(pattern, 'n18'), false);
  });

  it('serve `matches` and `globMatch` in conditions', () => {
    const c = compileCondition('action.name.matches("^export_") && action.dest.globMatch("s3://*/reports/**")');
    const act = (name: string, dest: string) => c.evaluate(makeActivation({ name, dest }, [], 'prod', FIXED_NOW));
    for (let i = 0; i < 3; i++) {
      assert.equal(act('export_phi', 's3://zone/reports/2026/x.csv'), true);
      assert.equal(act('import_phi', 's3://zone/reports/2026/x.csv'), false);
      assert.equal(act('export_phi', 's3://zone/other/x.csv'), false);
    }
  });
});
