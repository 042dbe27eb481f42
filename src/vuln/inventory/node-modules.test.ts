import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import { collectManifests, packagesOfManifests } from './node-modules.js';

const FX = join(packageRoot(), 'test', 'fixtures', 'vuln', 'node-modules');
let app: string;
const tmp = mkdtempSync(join(tmpdir(), 'esq-nm-'));

// The fixture keeps the installed tree (package.json files of a real `yarn install`) under
// tree/, since git ignores folders named node_modules; tests lay it out for real.
before(() => {
  app = join(tmp, 'app');
  mkdirSync(app);
  cpSync(join(FX, 'project', 'package.json'), join(app, 'package.json'));
  cpSync(join(FX, 'tree'), join(app, 'node_modules'), { recursive: true });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('installed node_modules', () => {
  it('reads every installed package with its nested copies and paths', async () => {
    const r = packagesOfManifests(await collectManifests(app), join(app, 'node_modules'));
    assert.equal(r.packages.length, 75);
    assert.deepEqual(r.warnings, []);
    const ms = r.packages.filter((p) => p.name === 'ms').map((p) => `${p.version}:${p.path.join('>')}`).sort();
    assert.deepEqual(ms, ['2.0.0:express>debug>ms', '2.1.1:express>send>ms'], 'send/node_modules/ms shadows the hoisted one for send');
    assert.deepEqual(r.packages.filter((p) => p.name === 'string-width').map((p) => `${p.version}:${p.relation}`), ['4.2.3:direct'], 'alias folder string-width-cjs holds string-width');
    assert.equal(r.packages.find((p) => p.name === 'minimist')!.dev, true, 'reached only through devDependencies');
    assert.equal(r.packages.find((p) => p.name === 'express')!.dev, undefined);
  });

  it('does not follow symlinks (pnpm, workspaces) and reads the pnpm store folder', async () => {
    const dir = join(tmp, 'pnpm-app');
    mkdirSync(join(dir, 'node_modules', '.pnpm', 'lodash@4.17.20', 'node_modules', 'lodash'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', dependencies: { lodash: '4.17.20' } }));
    writeFileSync(join(dir, 'node_modules', '.pnpm', 'lodash@4.17.20', 'node_modules', 'lodash', 'package.json'), JSON.stringify({ name: 'lodash', version: '4.17.20' }));
    symlinkSync(join(dir, 'node_modules', '.pnpm', 'lodash@4.17.20', 'node_modules', 'lodash'), join(dir, 'node_modules', 'lodash'));
    const r = packagesOfManifests(await collectManifests(dir), 'x');
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['lodash@4.17.20']);
  });

  it('rejects a malformed package.json with its path and position', async () => {
    const dir = join(tmp, 'broken');
    mkdirSync(join(dir, 'node_modules', 'a'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'a', 'package.json'), '{\n  "name": "a",\n  "version": "1.0.0",,\n}');
    await assert.rejects(async () => packagesOfManifests(await collectManifests(dir), 'x'), (e: Error) => {
      assert.ok(e.message.startsWith(`${join(dir, 'node_modules', 'a', 'package.json')}:3:22: not valid JSON: `), e.message);
      return true;
    });
  });
});
