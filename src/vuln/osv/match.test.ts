import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import type { Package } from '../types.js';
import { evaluateRange, matchRecord } from './match.js';
import type { OsvRange, OsvRecord } from './types.js';
import { SEMVER_ORDER, DPKG_ORDER } from './versions/index.js';

const real = (id: string): OsvRecord => JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'osv', 'npm', `${id}.json`), 'utf8')) as OsvRecord;
const npm = (name: string, version: string): Package => ({ ecosystem: 'npm', name, version, path: [name], relation: 'direct', source: 'test' });
const range = (...events: Array<Record<string, string>>): OsvRange => ({ type: 'SEMVER', events });
const affected = (v: string, r: OsvRange, order = SEMVER_ORDER): boolean => {
  const out = evaluateRange(v, r, order);
  assert.ok(!('unknown' in out), `unexpected unknown for ${v}`);
  return (out as { affected: boolean }).affected;
};

describe('OSV range evaluation (schema "Evaluation" and its examples)', () => {
  it('"every possible version is affected": introduced 0 alone', () => {
    const r = range({ introduced: '0' });
    for (const v of ['0.0.0', '0.0.1-alpha', '1.0.0', '99.0.0']) assert.equal(affected(v, r), true, v);
  });

  it('"everything before 1.0.2": fixed is exclusive, introduced inclusive', () => {
    const r = range({ introduced: '0' }, { fixed: '1.0.2' });
    assert.equal(affected('1.0.1', r), true);
    assert.equal(affected('1.0.2-rc.1', r), true, 'a prerelease of the fix is still before it');
    assert.equal(affected('1.0.2', r), false, 'fixed = version is not affected');
    assert.equal(affected('1.0.3', r), false);
  });

  it('multiple ranges in one range object: [1.0.0, 1.0.2) and [3.0.0, 3.2.5)', () => {
    const r = range({ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' });
    const want: Record<string, boolean> = { '0.9.9': false, '1.0.0': true, '1.0.1': true, '1.0.2': false, '2.9.9': false, '3.0.0': true, '3.2.4': true, '3.2.5': false, '4.0.0': false };
    for (const [v, a] of Object.entries(want)) assert.equal(affected(v, r), a, v);
    assert.deepEqual(evaluateRange('3.1.0', r, SEMVER_ORDER), { affected: true, fixedIn: '3.2.5' }, 'the fix is the one closing the interval the version is in');
  });

  it('events out of order are sorted first', () => {
    const r = range({ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' });
    assert.equal(affected('1.0.1', r), true);
    assert.equal(affected('2.0.0', r), false);
    assert.equal(affected('3.2.4', r), true);
  });

  it('last_affected vs fixed: last_affected is inclusive', () => {
    const last = range({ introduced: '0' }, { last_affected: '2.1.214' });
    const fixed = range({ introduced: '0' }, { fixed: '2.1.214' });
    assert.equal(affected('2.1.214', last), true, 'last_affected = version is affected');
    assert.equal(affected('2.1.215', last), false);
    assert.equal(affected('2.1.214', fixed), false);
    assert.deepEqual(evaluateRange('2.0.0', last, SEMVER_ORDER), { affected: true, lastAffected: '2.1.214' });
  });

  it('limit events bound the range; "*" is infinity', () => {
    const r = range({ introduced: '1.0.0' }, { limit: '2.0.0' });
    assert.equal(affected('1.5.0', r), true);
    assert.equal(affected('2.0.0', r), false);
    assert.equal(affected('5.0.0', range({ introduced: '1.0.0' }, { limit: '*' })), true);
  });

  it('introduced = version is affected; an empty interval [x, x) is not', () => {
    assert.equal(affected('2.0.0', range({ introduced: '2.0.0' }, { fixed: '2.0.1' })), true);
    assert.equal(affected('2.0.0', range({ introduced: '2.0.0' }, { fixed: '2.0.0' })), false);
  });

  it('says "unknown" rather than "unaffected" when versions cannot be ordered', () => {
    assert.ok('unknown' in evaluateRange('git+https://github.com/x/y#abc', range({ introduced: '0' }, { fixed: '1.0.0' }), SEMVER_ORDER));
    assert.ok('unknown' in evaluateRange('1.0.0', range({ introduced: '0' }, { fixed: 'not-a-version' }), SEMVER_ORDER));
  });

  it('evaluates Debian ranges with dpkg ordering', () => {
    const r: OsvRange = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.19-1~deb12u3' }] };
    assert.equal(affected('3.0.19-1~deb12u2', r, DPKG_ORDER), true);
    assert.equal(affected('3.0.19-1~deb12u3', r, DPKG_ORDER), false);
    assert.equal(affected('1:1.0', { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }, DPKG_ORDER), false, 'epoch 1 beats any epoch-0 fix');
  });
});

describe('matching real GitHub advisories', () => {
  it('GHSA-c2qf (semver): three ranges, boundaries on each', () => {
    const rec = real('GHSA-c2qf-rxjj-qqgw');
    const want: Record<string, boolean> = { '5.7.1': true, '5.7.2': false, '6.0.0': true, '6.3.0': true, '6.3.1': false, '7.0.0': true, '7.5.1': true, '7.5.2': false, '7.6.0': false };
    for (const [v, a] of Object.entries(want)) assert.equal(matchRecord(npm('semver', v), rec).status, a ? 'affected' : 'unaffected', v);
    const m = matchRecord(npm('semver', '6.1.0'), rec);
    assert.equal(m.status === 'affected' && m.fixedIn, '6.3.1');
  });

  it('GHSA-rv95 (express): prerelease ranges — 5.0.0-alpha.1 up to 5.0.0-beta.3', () => {
    const rec = real('GHSA-rv95-896h-c2vc');
    const want: Record<string, boolean> = { '4.19.1': true, '4.19.2': false, '5.0.0-alpha.0': false, '5.0.0-alpha.1': true, '5.0.0-beta.2': true, '5.0.0-beta.3': false, '5.0.0': false };
    for (const [v, a] of Object.entries(want)) assert.equal(matchRecord(npm('express', v), rec).status, a ? 'affected' : 'unaffected', v);
  });

  it('GHSA-78xj (ip): an explicit versions list beside the ranges', () => {
    const rec = real('GHSA-78xj-cgh5-2h22');
    assert.equal(matchRecord(npm('ip', '2.0.0'), rec).status, 'affected');
    assert.equal(matchRecord(npm('ip', '2.0.1'), rec).status, 'unaffected');
    assert.equal(matchRecord(npm('ip', '1.1.8'), rec).status, 'affected');
    assert.equal(matchRecord(npm('ip', '1.1.9'), rec).status, 'unaffected');
  });

  it('versions list alone is enough, even where ranges cannot be ordered', () => {
    const rec: OsvRecord = { id: 'X-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'Jinja2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4' }] }], versions: ['3.1.3'] }] };
    const py = (v: string): Package => ({ ...npm('jinja2', v), ecosystem: 'PyPI' });
    assert.equal(matchRecord(py('3.1.3'), rec).status, 'affected', 'listed version, name normalised (PEP 503)');
    assert.equal(matchRecord(py('3.1.4'), rec).status, 'unaffected', 'an enumerated list answers for the unordered range');
    const noList: OsvRecord = { ...rec, affected: [{ ...rec.affected![0]!, versions: [] }] };
    assert.equal(matchRecord(py('3.1.3'), noList).status, 'unknown', 'no ordering and no list: not claimed clean');
  });

  it('GHSA-29mw (lodash family): last_affected on lodash.trim, fixed on lodash', () => {
    const rec = real('GHSA-29mw-wpgm-hmr9');
    assert.equal(matchRecord(npm('lodash.trim', '4.5.1'), rec).status, 'affected', 'last_affected = version');
    const m = matchRecord(npm('lodash.trim', '4.5.0'), rec);
    assert.ok(m.status === 'affected' && m.lastAffected === '4.5.1' && m.fixedIn === undefined);
    assert.equal(matchRecord(npm('lodash', '4.17.20'), rec).status, 'affected');
    assert.equal(matchRecord(npm('lodash', '4.17.21'), rec).status, 'unaffected');
    assert.equal(matchRecord(npm('lodash-es', '4.17.20'), rec).status, 'affected', 'each affected package is matched by its own name');
  });

  it('withdrawn advisories match nothing (GHSA-257q, GHSA-27h2)', () => {
    assert.equal(matchRecord(npm('jquery', '2.2.0'), real('GHSA-257q-pv89-v3xv')).status, 'unaffected');
    assert.equal(matchRecord(npm('jsonwebtoken', '8.5.1'), real('GHSA-27h2-hvpr-p74q')).status, 'unaffected');
    assert.equal(matchRecord(npm('jquery', '2.2.0'), real('GHSA-jpcq-cgw6-v4j6')).status, 'affected', 'the advisory it duplicates still applies');
  });

  it('matches only the ecosystem named: NuGet and Maven entries do not touch npm jquery', () => {
    const rec = real('GHSA-gxr4-xjj5-5px2');
    assert.equal(matchRecord(npm('jquery', '1.1.0'), rec).status, 'unaffected', 'npm range starts at 1.2.0');
    assert.equal(matchRecord({ ...npm('jQuery', '1.1.0'), ecosystem: 'NuGet' }, rec).status, 'unknown', 'NuGet IDs ignore case; no NuGet ordering here: unknown, not clean');
  });

  it('Debian records name source packages and may be scoped to a release', () => {
    const rec: OsvRecord = {
      id: 'T-1', modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.19-1~deb12u3' }] }] }],
    };
    const libssl: Package = { ecosystem: 'Debian:12', name: 'libssl3', version: '3.0.19-1~deb12u2', path: ['libssl3'], relation: 'unknown', source: 'status', sourcePackage: { name: 'openssl', version: '3.0.19-1~deb12u2' } };
    assert.equal(matchRecord(libssl, rec).status, 'affected');
    assert.equal(matchRecord({ ...libssl, ecosystem: 'Debian:11' }, rec).status, 'unaffected', 'another release');
    assert.equal(matchRecord({ ...libssl, sourcePackage: { name: 'openssl', version: '3.0.19-1~deb12u3' } }, rec).status, 'unaffected', 'the source version decides, not the binary one');
  });

  it('GIT ranges are skipped; the ECOSYSTEM range beside them is used', () => {
    const rec: OsvRecord = {
      id: 'T-2', modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'GIT', repo: 'https://example.invalid/x', events: [{ introduced: '0' }, { fixed: 'abc123' }] }, { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.0' }] }] }],
    };
    assert.equal(matchRecord(npm('x', '1.1.0'), rec).status, 'affected');
    assert.equal(matchRecord(npm('x', '1.2.0'), rec).status, 'unaffected');
  });
});
