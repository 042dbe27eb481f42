import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, createReadStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { create } from 'tar';
import { packageRoot } from '../../../util/package-root.js';
import { readImageArchive, readOciLayout, type ImageInventory } from './image.js';
import { applyLayer, filesOf, readLayer, type MergedFs } from './layers.js';
import { planOci } from './manifest.js';

// Fixtures made with umoci (three layers: base; `rm -rf node_modules/minimist` + add ms; re-create
// node_modules without ms) and converted with skopeo to `docker save` and OCI archive tarballs.
const FX = join(packageRoot(), 'test', 'fixtures', 'vuln', 'image');
const MANIFEST = 'sha256:8f0efa824cc32e12625565945a6083574676bab9e919f759a9410fc4c17902ed';
const IMAGE_ID = 'sha256:601d6f2667cde40dee94114a96f9bf2b1b64ec165831781995e6938b40bdf7b5';
const tmp = mkdtempSync(join(tmpdir(), 'esq-img-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function expectFinalFilesystem(img: ImageInventory): void {
  const names = img.packages.map((p) => `${p.ecosystem}:${p.name}@${p.version}`).sort();
  assert.deepEqual(names, [
    'Debian:12:base-files@12.4+deb12u11', 'Debian:12:bash@5.2.15-2+b8', 'Debian:12:gzip@1.12-1', 'Debian:12:libc6@2.36-9+deb12u14',
    'Debian:12:libssl3@3.0.19-1~deb12u2', 'Debian:12:login@1:4.13+dfsg1-1+deb12u1', 'Debian:12:openssl@3.0.19-1~deb12u2',
    'Debian:12:tar@1.34+dfsg-1.2+deb12u1', 'Debian:12:zlib1g@1:1.2.13.dfsg-1', 'npm:lodash@4.17.20',
  ], 'minimist (whiteout in layer 2) and ms (whiteout in layer 3) are gone; os-release read through its symlink');
  const lodash = img.packages.find((p) => p.name === 'lodash')!;
  assert.equal(lodash.relation, 'direct');
  assert.equal(lodash.source, `${img.digest}:/app/node_modules`);
}

describe('container images', () => {
  it('reads an OCI image layout, layer by layer, against the manifest digest', async () => {
    const img = await readOciLayout(join(FX, 'oci-layout'));
    assert.equal(img.digest, MANIFEST);
    assert.deepEqual(img.tags, ['latest']);
    expectFinalFilesystem(img);
  });

  it('reads a `docker save` tarball (layers as <id>.tar, linked from <id>/layer.tar) against the image ID', async () => {
    const img = await readImageArchive(join(FX, 'docker-save.tar'));
    assert.equal(img.digest, IMAGE_ID);
    assert.deepEqual(img.tags, ['docker.io/library/lunch-subsidy-svc:1.0']);
    expectFinalFilesystem(img);
  });

  it('reads an OCI layout packed as a tarball', async () => {
    const img = await readImageArchive(join(FX, 'oci-archive.tar'));
    assert.equal(img.digest, MANIFEST);
    expectFinalFilesystem(img);
  });

  it('honours opaque whiteouts (.wh..wh..opq) only against lower layers', async () => {
    const layer = async (name: string, files: Record<string, string>): Promise<string> => {
      const dir = join(tmp, name);
      for (const [p, text] of Object.entries(files)) {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
      const out = join(tmp, `${name}.tar.gz`);
      await create({ gzip: true, cwd: dir, file: out, portable: true }, Object.keys(files));
      return out;
    };
    const pj = (name: string, version: string): string => JSON.stringify({ name, version });
    const lower = await layer('lower', { 'app/node_modules/a/package.json': pj('a', '1.0.0'), 'app/node_modules/b/package.json': pj('b', '1.0.0'), 'app/package.json': '{}' });
    const upper = await layer('upper', { 'app/node_modules/.wh..wh..opq': '', 'app/node_modules/c/package.json': pj('c', '2.0.0'), 'app/.wh.gone': '' });
    const fs: MergedFs = new Map();
    for (const l of [lower, upper]) applyLayer(fs, await readLayer(createReadStream(l), l));
    assert.deepEqual([...filesOf(fs).keys()].sort(), ['app/node_modules/c/package.json', 'app/package.json']);
  });

  it('picks the platform from a multi-platform index, and says which platforms exist when none fits', async () => {
    const d = (n: string): string => `sha256:${n.repeat(64)}`;
    const index = JSON.stringify({ manifests: [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('a'), platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('b'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('c'), platform: { os: 'unknown', architecture: 'unknown' } },
    ] });
    const blob = async (digest: string): Promise<string> => JSON.stringify({ layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest.replace(/.$/, '0') }] });
    assert.equal((await planOci(index, 'index.json', blob)).digest, d('a'));
    assert.equal((await planOci(index, 'index.json', blob, { platform: 'linux/arm64/v8' })).digest, d('b'));
    await assert.rejects(planOci(index, 'index.json', blob, { platform: 'linux/s390x' }), /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8\)/);
  });

  it('fails on a corrupted layer (digest mismatch), a missing blob, or a truncated archive — naming the file', async () => {
    const bad = join(tmp, 'bad-layout');
    cpSync(join(FX, 'oci-layout'), bad, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(bad, 'blobs', 'sha256', MANIFEST.slice(7)), 'utf8')) as { layers: Array<{ digest: string }> };
    const layer2 = join(bad, 'blobs', 'sha256', manifest.layers[1]!.digest.slice(7));
    const gz = readFileSync(layer2);
    gz[gz.length - 5] = gz[gz.length - 5]! ^ 0xff;
    writeFileSync(layer2, gz);
    await assert.rejects(readOciLayout(bad), (e: Error) => e.message.startsWith(layer2) && /not a readable image layer|digest mismatch/.test(e.message));
    rmSync(layer2);
    await assert.rejects(readOciLayout(bad), new RegExp(`${layer2}: (blob missing|cannot read|not a readable image layer)`));

    const cut = join(tmp, 'cut.tar');
    cpSync(join(FX, 'docker-save.tar'), cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 3));
    await assert.rejects(readImageArchive(cut), (e: Error) => e.message.startsWith(cut));
  });
});
