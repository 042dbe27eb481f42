import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import type { RootManifest } from './npm-lock.js';
import { parseYarnLock } from './yarn-lock.js';

const FX = join(packageRoot(), 'test', 'fixtures', 'vuln');
const read = (p: string): string => readFileSync(join(FX, p), 'utf8');
const manifest = JSON.parse(read('yarn-classic/package.json')) as RootManifest;

describe('yarn.lock', () => {
  const classic = parseYarnLock(read('yarn-classic/yarn.lock'), 'yarn.lock', manifest);
  const berry = parseYarnLock(read('yarn-berry/yarn.lock'), 'yarn.lock');

  it('reads classic (v1) and berry lockfiles of the same project to the same 75 packages', () => {
    const key = (r: typeof classic): string => r.packages.map((p) => `${p.name}@${p.version}`).sort().join(',');
    assert.equal(classic.packages.length, 75);
    assert.equal(key(classic), key(berry));
    assert.deepEqual(classic.warnings, []);
  });

  it('follows descriptors (several per entry in classic: "statuses@>= 1.5.0 < 2", statuses@~1.5.0) to shortest paths', () => {
    for (const r of [classic, berry]) {
      const ms = r.packages.filter((p) => p.name === 'ms').map((p) => `${p.version}:${p.path.join('>')}`).sort();
      assert.deepEqual(ms, ['2.0.0:express>debug>ms', '2.1.1:express>send>ms']);
      assert.equal(r.packages.find((p) => p.name === 'statuses')!.relation, 'transitive');
      assert.equal(r.packages.filter((p) => p.relation === 'direct').length, 7);
    }
  });

  it('reads npm: aliases as the aliased package; berry takes direct dependencies from the root workspace', () => {
    for (const r of [classic, berry]) {
      const sw = r.packages.filter((p) => p.name.startsWith('string-width'));
      assert.deepEqual(sw.map((p) => `${p.name}@${p.version}:${p.relation}`), ['string-width@4.2.3:direct']);
    }
    assert.equal(berry.packages.some((p) => p.name === 'lunch-subsidy-svc'), false, 'the workspace is the project, not a package');
    assert.equal(classic.packages.find((p) => p.name === 'minimist')!.dev, true);
  });

  it('warns about packages from git or tarball URLs instead of matching them against npm advisories', () => {
    const text = '# yarn lockfile v1\n\n\n"left-pad@github:stevemao/left-pad#1.3.0":\n  version "1.3.0"\n  resolved "https://codeload.github.com/stevemao/left-pad/tar.gz/5f2a7a0"\n\nlodash@^4.17.20:\n  version "4.17.20"\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.20.tgz"\n';
    const r = parseYarnLock(text, 'yarn.lock');
    assert.deepEqual(r.packages.map((p) => p.name), ['lodash']);
    assert.match(r.warnings[0]!, /left-pad@1\.3\.0 comes from github:stevemao\/left-pad#1\.3\.0, not the npm registry/);
  });

  it('rejects malformed lockfiles with file and position', () => {
    const classicBad = '# yarn lockfile v1\n\n"a@^1":\n  version "1.0.0"\n  dependencies\n    b "^2"\n';
    assert.throws(() => parseYarnLock(classicBad, 'svc/yarn.lock'), /svc\/yarn\.lock:5:15: not a valid yarn\.lock/);
    const berryBad = '__metadata:\n  version: 6\n\n"a@npm:1":\n  version: [1\n';
    assert.throws(() => parseYarnLock(berryBad, 'svc/yarn.lock'), /svc\/yarn\.lock:6:1: not a valid yarn\.lock: unexpected end of the stream/);
    assert.throws(() => parseYarnLock('__metadata:\n  version: 6\n\n"a@npm:1":\n  resolution: "a@npm:1.0.0"\n', 'yarn.lock'), /yarn\.lock:4: entry "a@npm:1" has no version/);
  });
});
