import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import { parsePnpmLock } from './pnpm-lock.js';

const FX = join(packageRoot(), 'test', 'fixtures', 'vuln');
const read = (p: string): string => readFileSync(join(FX, p), 'utf8');

describe('pnpm-lock.yaml', () => {
  const versions = ['pnpm-v5', 'pnpm-v6', 'pnpm-v9'].map((d) => parsePnpmLock(read(`${d}/pnpm-lock.yaml`), `${d}/pnpm-lock.yaml`));

  it('reads lockfileVersion 5.4, 6.0 and 9.0 (made by pnpm 7, 8 and 9) to the same 75 packages', () => {
    const keys = versions.map((r) => r.packages.map((p) => `${p.name}@${p.version}`).sort().join(','));
    assert.equal(versions[0]!.packages.length, 75);
    assert.equal(keys[1], keys[0]);
    assert.equal(keys[2], keys[0]);
  });

  it('strips peer suffixes (18.2.0_react@18.2.0, 18.2.0(react@18.2.0)) and follows aliases and paths', () => {
    for (const r of versions) {
      assert.deepEqual(r.packages.filter((p) => p.name === 'react-dom').map((p) => `${p.version}:${p.relation}`), ['18.2.0:direct']);
      assert.deepEqual(r.packages.filter((p) => p.name.startsWith('string-width')).map((p) => `${p.name}@${p.version}:${p.relation}`), ['string-width@4.2.3:direct']);
      assert.deepEqual(r.packages.filter((p) => p.name === 'ms').map((p) => p.path.join('>')).sort(), ['express>debug>ms', 'express>send>ms']);
      assert.equal(r.packages.find((p) => p.name === 'minimist')!.dev, true);
      assert.equal(r.packages.find((p) => p.name === 'scheduler')!.dev, undefined);
    }
  });

  it('rejects malformed and unsupported lockfiles with file and position', () => {
    assert.throws(() => parsePnpmLock("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: x\n", 'svc/pnpm-lock.yaml'), /svc\/pnpm-lock\.yaml:5:1: not valid YAML/);
    assert.throws(() => parsePnpmLock("lockfileVersion: '3'\n", 'pnpm-lock.yaml'), /pnpm-lock\.yaml:1: unsupported lockfileVersion "3"/);
    assert.throws(() => parsePnpmLock("lockfileVersion: '9.0'\nsnapshots:\n  justaname: {}\n", 'pnpm-lock.yaml'), /pnpm-lock\.yaml:3: cannot read package key "justaname"/);
  });
});
