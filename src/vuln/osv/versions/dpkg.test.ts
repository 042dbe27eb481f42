import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { compareDeb, parseDebVersion } from './dpkg.js';

/** Versions chosen for the rules that trip implementations: epochs, tildes, revisions, leading zeros, letters vs symbols. */
const CURATED = [
  '0', '1', '1.0', '1.0-0', '0:1.0', '1.00', '01.0', '1.0.0', '1.0.', '1.0-1', '1.0-1~', '1.0~', '1.0~~', '1.0~rc1', '1.0~rc1-1',
  '1.0a', '1.0+', '1.0+b1', '1.0+dfsg', '1.0+dfsg1', '1.0-0.1', '1.0-1.0', '1.0-1.1', '1.0-a', '1.0-A', '1:0.9', '1:1.0', '2:0',
  '1.0-1+deb12u1', '1.0-1~deb12u1', '1.0-1+b1', '3.0.19-1~deb12u2', '3.0.19-1~deb12u3', '3.0.19-1', '1:1.2.13.dfsg-1',
  '1.2.13.dfsg-2', '5.2.15-2+b8', '5.2.15-2', '5.2.15-2+deb12u1', '2.36-9+deb12u14', '2.36-9+deb12u4', '1.2.3-4ubuntu1',
  '1.2.3-4ubuntu1.1', '1.2.3-4', '10.0', '9.9', '1:4.13+dfsg1-1+deb12u1', '7.88.1-10+deb12u14', '1.0-1-1', '2.0~beta1+git20240101',
];

/** Seeded generator of plausible versions, so the oracle sees shapes nobody thought of. */
function randomVersions(n: number, seed: number): string[] {
  let s = seed;
  const rnd = (k: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % k;
  };
  const piece = (): string => ['0', '1', '2', '10', '01', 'a', 'b', 'Z', '~', '~~', '+', '.', '~rc', '+b', 'dfsg', ''][rnd(16)]!;
  const out: string[] = [];
  while (out.length < n) {
    const epoch = rnd(4) === 0 ? `${rnd(3)}:` : '';
    const upstream = `${rnd(3)}${piece()}${rnd(2) ? `.${rnd(12)}` : ''}${piece()}${rnd(2) ? String(rnd(3)) : ''}`;
    const revision = rnd(2) ? `-${rnd(3)}${piece()}${rnd(3)}` : '';
    const v = `${epoch}${upstream}${revision}`;
    if (parseDebVersion(v)) out.push(v);
  }
  return out;
}

/** Asks dpkg itself, in one shell, for the order of every pair. */
function dpkgOrder(pairs: Array<[string, string]>): number[] {
  const script = pairs
    .map(([a, b]) => `if dpkg --compare-versions '${a}' lt '${b}'; then echo -1; elif dpkg --compare-versions '${a}' gt '${b}'; then echo 1; else echo 0; fi`)
    .join('\n');
  const r = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, `dpkg --compare-versions failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map(Number);
}

describe('Debian version ordering matches dpkg --compare-versions', () => {
  it('agrees with dpkg on the sorted order and on hundreds of random pairs', () => {
    const versions = [...CURATED, ...randomVersions(40, 7)];
    // Sorting with our comparator, then checking each neighbour with dpkg, checks the whole
    // order (dpkg's is total); random pairs guard against a comparator that is not transitive.
    const sorted = [...versions].sort(compareDeb);
    const pairs: Array<[string, string]> = sorted.slice(1).map((v, i) => [sorted[i]!, v]);
    let s = 11;
    while (pairs.length < 500) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const a = versions[s % versions.length]!;
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      pairs.push([a, versions[s % versions.length]!]);
    }
    const oracle = dpkgOrder(pairs);
    assert.equal(oracle.length, pairs.length);
    const wrong = pairs.filter(([a, b], k) => Math.sign(compareDeb(a, b)) !== oracle[k]).map(([a, b]) => `${a} vs ${b}`);
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements with dpkg`);
    assert.ok(oracle.filter((x) => x === 0).length >= 3, 'equal pairs (1.0 = 1.0-0 = 0:1.0) are among those checked');
  });

  it('orders the cases the Debian policy manual spells out', () => {
    // ~ sorts before anything, even the end of the part; epochs dominate; missing revision = 0.
    assert.ok(compareDeb('1.0~rc1', '1.0') < 0);
    assert.ok(compareDeb('1.0~~', '1.0~') < 0);
    assert.ok(compareDeb('3.0.19-1~deb12u2', '3.0.19-1') < 0);
    assert.ok(compareDeb('1:1.2.13.dfsg-1', '1.3.dfsg-1') > 0);
    assert.equal(compareDeb('1.0', '1.0-0'), 0);
    assert.equal(compareDeb('0:1.0', '1.0'), 0);
    assert.equal(compareDeb('1.00', '1.0'), 0);
    assert.ok(compareDeb('1.0a', '1.0+') < 0, 'letters sort before other symbols');
  });

  it('parses epoch, upstream and revision like dpkg, and rejects what dpkg rejects', () => {
    assert.deepEqual(parseDebVersion('1:4.13+dfsg1-1+deb12u1'), { epoch: 1, upstream: '4.13+dfsg1', revision: '1+deb12u1' });
    assert.deepEqual(parseDebVersion('1.0-1-1'), { epoch: 0, upstream: '1.0-1', revision: '1' });
    for (const bad of ['', 'a1.0', '1.0-', 'x:1.0', '1.0 1', '1.0_1']) assert.equal(parseDebVersion(bad), undefined, bad);
    assert.throws(() => compareDeb('1.0', 'a1.0'), /not a Debian version/);
  });
});
