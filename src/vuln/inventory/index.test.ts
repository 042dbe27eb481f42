import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import { readInventory } from './index.js';

const FX = join(packageRoot(), 'test', 'fixtures', 'vuln');
const tmp = mkdtempSync(join(tmpdir(), 'esq-inv-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('readInventory: what a target is', () => {
  it('recognises each input by name or content', async () => {
    const want: Array<[string, string, number]> = [
      ['npm-v3', 'npm-lock', 73],
      ['npm-v1/package-lock.json', 'npm-lock', 73],
      ['npm-shrinkwrap', 'npm-lock', 73],
      ['yarn-berry/yarn.lock', 'yarn-lock', 75],
      ['pnpm-v9', 'pnpm-lock', 75],
      ['sbom/npm-sbom.cdx.json', 'cyclonedx', 73],
      ['sbom/npm-sbom.spdx.json', 'spdx', 73],
      ['rootfs', 'rootfs', 9],
      ['rootfs/var/lib/dpkg/status', 'dpkg-status', 9],
      ['image/oci-layout', 'image', 10],
      ['image/docker-save.tar', 'image', 10],
    ];
    for (const [t, kind, n] of want) {
      const inv = await readInventory(join(FX, t));
      assert.equal(inv.kind, kind, t);
      assert.equal(inv.packages.length, n, t);
      assert.ok(inv.files.length > 0, `${t} names the files to watch`);
    }
    const status = await readInventory(join(FX, 'rootfs/var/lib/dpkg/status'));
    assert.equal(status.packages[0]!.ecosystem, 'Debian:12', 'release from the root filesystem holding the status file');
  });

  it('prefers npm-shrinkwrap.json over package-lock.json, as npm does', async () => {
    const dir = join(tmp, 'both');
    mkdirSync(dir);
    cpSync(join(FX, 'npm-shrinkwrap', 'npm-shrinkwrap.json'), join(dir, 'npm-shrinkwrap.json'));
    writeFileSync(join(dir, 'package-lock.json'), '{ this would fail }');
    const inv = await readInventory(dir);
    assert.deepEqual(inv.files, [join(dir, 'npm-shrinkwrap.json')]);
  });

  it('never turns unreadable input into an empty inventory', async () => {
    await assert.rejects(readInventory(join(tmp, 'missing')), /missing: cannot read: ENOENT/);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    await assert.rejects(readInventory(empty), /nothing to scan: no lockfile/);
    writeFileSync(join(tmp, 'notes.txt'), 'hello');
    await assert.rejects(readInventory(join(tmp, 'notes.txt')), /notes\.txt: unsupported input/);
    writeFileSync(join(tmp, 'other.json'), '{"hello": 1}');
    await assert.rejects(readInventory(join(tmp, 'other.json')), /other\.json:1: unsupported JSON/);
    await assert.rejects(readInventory(join(FX, 'npm-v3', 'package.json')), /package\.json lists version ranges/);
  });
});
