import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import { cvssScore, levelOfScore, severityOf } from './severity.js';
import type { OsvRecord } from './types.js';

const real = (id: string): OsvRecord => JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'osv', 'npm', `${id}.json`), 'utf8')) as OsvRecord;

describe('severity', () => {
  it('scores CVSS v3.1 and v4.0 vectors with the calculator', () => {
    assert.equal(cvssScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
    assert.equal(cvssScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), 6.1);
    assert.equal(cvssScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), 9.3);
    assert.equal(cvssScore('CVSS:3.1/AV:X/garbage'), undefined);
  });

  it('maps scores to the CVSS qualitative scale at its boundaries', () => {
    const want: Array<[number, string]> = [[0, 'none'], [0.1, 'low'], [3.9, 'low'], [4.0, 'medium'], [6.9, 'medium'], [7.0, 'high'], [8.9, 'high'], [9.0, 'critical'], [10, 'critical']];
    for (const [s, l] of want) assert.equal(levelOfScore(s), l, String(s));
  });

  it('takes the highest score when a record has v3 and v4 vectors (GHSA-qwcr, GHSA-cm22)', () => {
    const q = severityOf(real('GHSA-qwcr-r2fm-qrc7'));
    assert.deepEqual([q.level, q.score, q.method], ['high', 8.7, 'CVSS_V4']);
    const c = severityOf(real('GHSA-cm22-4g7w-348p'));
    assert.deepEqual([c.level, c.score, c.method], ['medium', 5, 'CVSS_V3'], 'v4 scores 2.3 here; the higher v3 score is kept, agreeing with GitHub\'s MODERATE');
  });

  it('falls back to the database label when there is no vector (GHSA-pxg6: LOW, GHSA-78xj: LOW)', () => {
    assert.deepEqual(severityOf(real('GHSA-pxg6-pf52-xh8x')), { level: 'low', method: 'database' });
    assert.deepEqual(severityOf(real('GHSA-78xj-cgh5-2h22')), { level: 'low', method: 'database' });
  });

  it('prefers per-package severity, reads Debian urgency, and admits when it does not know', () => {
    const rec: OsvRecord = { id: 'T', modified: 'x', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] };
    const per = { package: { ecosystem: 'npm', name: 'a' }, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }] };
    assert.equal(severityOf(rec, [per]).level, 'low');
    assert.equal(severityOf({ id: 'D', modified: 'x' }, [{ package: { ecosystem: 'Debian:12', name: 'b' }, ecosystem_specific: { urgency: 'medium' } }]).level, 'medium');
    assert.deepEqual(severityOf({ id: 'U', modified: 'x' }), { level: 'unknown', method: 'none' });
  });
});
