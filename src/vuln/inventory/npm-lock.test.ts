import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import type { Package } from '../types.js';
import { parseNpmLock, type RootManifest } from './npm-lock.js';

const FX = join(packageRoot(), 'test', 'fixtures', 'vuln');
const read = (p: string): string => readFileSync(join(FX, p), 'utf8');
const manifest = (dir: string): RootManifest => JSON.parse(read(`${dir}/package.json`)) as RootManifest;
const find = (pkgs: Package[], name: string, version?: string): Package[] => pkgs.filter((p) => p.name === name && (version === undefined || p.version === version));

describe('package-lock.json / npm-shrinkwrap.json', () => {
  const cases: Array<[string, string]> = [
    ['npm-v1', 'package-lock.json'],
    ['npm-v2', 'package-lock.json'],
    ['npm-v3', 'package-lock.json'],
    ['npm-shrinkwrap', 'npm-shrinkwrap.json'],
  ];
  const all = cases.map(([dir, file]) => parseNpmLock(read(`${dir}/${file}`), `${dir}/${file}`, manifest(dir)));

  it('reads the same 73 packages from lockfile v1, v2, v3 and a shrinkwrap made by npm from one package.json', () => {
    const sets = all.map((pkgs) => pkgs.map((p) => `${p.name}@${p.version}`).sort().join(','));
    for (const s of sets) assert.equal(s, sets[0]);
    assert.equal(all[0]!.length, 73);
  });

  it('gives each package the shortest path from a direct dependency, resolving nested node_modules like Node', () => {
    for (const pkgs of all) {
      assert.deepEqual(find(pkgs, 'ms', '2.0.0')[0]!.path, ['express', 'debug', 'ms']);
      assert.deepEqual(find(pkgs, 'ms', '2.1.1')[0]!.path, ['express', 'send', 'ms'], 'node_modules/send/node_modules/ms wins inside send');
      assert.equal(find(pkgs, 'express')[0]!.relation, 'direct');
      assert.equal(find(pkgs, 'body-parser')[0]!.relation, 'transitive');
      assert.equal(pkgs.filter((p) => p.relation === 'direct').length, 7);
    }
  });

  it('reports an npm: alias as the package it installs, and dev-only packages as dev', () => {
    for (const pkgs of all) {
      const sw = find(pkgs, 'string-width');
      assert.equal(sw.length, 1);
      assert.equal(sw[0]!.version, '4.2.3');
      assert.equal(find(pkgs, 'string-width-cjs').length, 0);
      assert.equal(find(pkgs, 'minimist')[0]!.dev, true);
      assert.equal(find(pkgs, 'lodash')[0]!.dev, undefined);
    }
  });

  it('infers direct dependencies of a v1 lockfile without package.json from what nothing requires', () => {
    const pkgs = parseNpmLock(read('npm-v1/package-lock.json'), 'package-lock.json');
    assert.equal(find(pkgs, 'express')[0]!.relation, 'direct');
    assert.equal(find(pkgs, 'lodash')[0]!.relation, 'direct');
    assert.deepEqual(find(pkgs, 'debug')[0]!.path, ['express', 'debug']);
  });

  it('treats workspaces as the project: their dependencies are direct, the workspace itself is no package', () => {
    const pkgs = parseNpmLock(read('npm-workspaces/package-lock.json'), 'package-lock.json');
    assert.deepEqual(pkgs.map((p) => `${p.name}@${p.version}:${p.relation}${p.dev ? ':dev' : ''}`), ['lodash@4.17.20:direct', 'minimist@1.2.5:direct:dev']);
  });

  it('rejects malformed and unsupported lockfiles with the file and position', () => {
    const text = read('npm-v3/package-lock.json');
    const cut = text.slice(0, text.indexOf('"node_modules/express"') + 40);
    assert.throws(() => parseNpmLock(cut, 'app/package-lock.json'), /^InvalidInputError: app\/package-lock\.json:\d+:\d+: not valid JSON/);
    assert.throws(() => parseNpmLock('{\n  "name": "x",\n  "lockfileVersion": 4\n}', 'package-lock.json'), /package-lock\.json:3: unsupported lockfileVersion 4 \(supported: 1, 2, 3\)/);
    assert.throws(() => parseNpmLock('{"name": "x"}', 'package-lock.json'), /package-lock\.json:1: not an npm lockfile: no "lockfileVersion"/);
    const badVersion = '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {},\n    "node_modules/a": { "version": 1 }\n  }\n}';
    assert.throws(() => parseNpmLock(badVersion, 'package-lock.json'), /package-lock\.json:5: packages\["node_modules\/a"\]\.version must be a string/);
  });
});
