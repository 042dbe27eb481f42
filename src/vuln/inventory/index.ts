/**
 * Reads what a service is made of from whatever it was given: a lockfile, an SBOM, a dpkg status
 * file, a project folder, a root filesystem folder, or a container image (OCI layout folder or
 * tarball). Anything unreadable is an error naming the file; nothing is skipped silently.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Inventory, Package } from '../types.js';
import { parseCycloneDx, isCycloneDx } from './cyclonedx.js';
import { ecosystemOfOsRelease, parseDpkgStatus } from './dpkg-status.js';
import { inputError, isRecord, parseJsonText } from './errors.js';
import { fileMapOfFolder, packagesOfFileMap } from './file-tree.js';
import { readImageArchive, readOciLayout, type ImageOptions } from './image/image.js';
import { collectManifests, packagesOfManifests } from './node-modules.js';
import { parseNpmLock, type RootManifest } from './npm-lock.js';
import { parsePnpmLock } from './pnpm-lock.js';
import { isSpdx, parseSpdx } from './spdx.js';
import { parseYarnLock } from './yarn-lock.js';

export type InventoryOptions = ImageOptions;

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw inputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The package.json beside a lockfile, when present: it says which dependencies are direct. */
async function siblingManifest(file: string): Promise<RootManifest | undefined> {
  const p = join(dirname(file), 'package.json');
  if (!(await exists(p))) return undefined;
  const doc = parseJsonText(await readText(p), p);
  return isRecord(doc) ? (doc as RootManifest) : undefined;
}

async function looksLikeTar(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    if (bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return true; // gzip
    return bytesRead >= 262 && buf.toString('latin1', 257, 262) === 'ustar';
  } finally {
    await fh.close();
  }
}

function inventory(target: string, kind: string, packages: Package[], files: string[], warnings: string[] = [], imageDigest?: string): Inventory {
  const inv: Inventory = { target, kind, packages, files, warnings };
  if (imageDigest) inv.imageDigest = imageDigest;
  return inv;
}

/** One file whose format is known by its name or content. */
export async function readInventoryFile(file: string, opts: InventoryOptions = {}): Promise<Inventory> {
  const name = basename(file);
  if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') {
    return inventory(file, 'npm-lock', parseNpmLock(await readText(file), file, await siblingManifest(file)), [file]);
  }
  if (name === 'yarn.lock') {
    const r = parseYarnLock(await readText(file), file, await siblingManifest(file));
    return inventory(file, 'yarn-lock', r.packages, [file], r.warnings);
  }
  if (/^pnpm-lock\.ya?ml$/.test(name)) {
    const r = parsePnpmLock(await readText(file), file);
    return inventory(file, 'pnpm-lock', r.packages, [file], r.warnings);
  }
  if (name === 'package.json') {
    throw inputError(file, 'package.json lists version ranges, not installed versions: scan the lockfile or the node_modules folder');
  }
  if (await looksLikeTar(file)) {
    const img = await readImageArchive(file, opts);
    return inventory(file, 'image', img.packages, [file], img.warnings, img.digest);
  }
  const text = await readText(file);
  if (/^\s*[{[]/.test(text)) {
    const doc = parseJsonText(text, file);
    if (isCycloneDx(doc)) {
      const r = parseCycloneDx(text, file, doc);
      return inventory(file, 'cyclonedx', r.packages, [file], r.warnings);
    }
    if (isSpdx(doc)) {
      const r = parseSpdx(text, file, doc);
      return inventory(file, 'spdx', r.packages, [file], r.warnings);
    }
    if (isRecord(doc) && 'lockfileVersion' in doc) return inventory(file, 'npm-lock', parseNpmLock(text, file, await siblingManifest(file)), [file]);
    throw inputError(file, 'unsupported JSON: not a CycloneDX or SPDX SBOM, nor an npm lockfile', { line: 1 });
  }
  if (/^Package:/m.test(text.slice(0, 4096))) {
    // var/lib/dpkg/status inside a root filesystem: the release is in that root's os-release.
    const root = file.endsWith(join('var', 'lib', 'dpkg', 'status')) ? resolve(file, '..', '..', '..', '..') : undefined;
    const osRelease = root ? await readFile(join(root, 'etc', 'os-release'), 'utf8').catch(() => readFile(join(root, 'usr', 'lib', 'os-release'), 'utf8').catch(() => undefined)) : undefined;
    return inventory(file, 'dpkg-status', parseDpkgStatus(text, file, ecosystemOfOsRelease(osRelease)), [file]);
  }
  throw inputError(file, 'unsupported input: expected a lockfile (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml), a CycloneDX or SPDX JSON SBOM, a dpkg status file or an image tarball');
}

const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml'];

export async function readInventory(target: string, opts: InventoryOptions = {}): Promise<Inventory> {
  const st = await stat(target).catch((e: NodeJS.ErrnoException) => {
    throw inputError(target, `cannot read: ${e.code ?? e.message}`);
  });
  if (!st.isDirectory()) return readInventoryFile(target, opts);

  if (await exists(join(target, 'oci-layout'))) {
    const img = await readOciLayout(target, opts);
    return inventory(target, 'image', img.packages, [join(target, 'index.json')], img.warnings, img.digest);
  }
  if ((await exists(join(target, 'var', 'lib', 'dpkg'))) || (await exists(join(target, 'etc', 'os-release')))) {
    const files = await fileMapOfFolder(target);
    const r = packagesOfFileMap(files, (p) => join(target, p));
    const watched = [...files.keys()].filter((p) => p.startsWith('var/lib/dpkg/')).map((p) => join(target, p));
    return inventory(target, 'rootfs', r.packages, watched, r.warnings);
  }
  // A project folder: its lockfile(s); npm-shrinkwrap.json wins over package-lock.json, as in npm.
  let locks: string[] = [];
  for (const l of LOCKFILES) if (await exists(join(target, l))) locks.push(join(target, l));
  if (locks.some((l) => basename(l) === 'npm-shrinkwrap.json')) locks = locks.filter((l) => basename(l) !== 'package-lock.json');
  if (locks.length > 0) {
    const parts = await Promise.all(locks.map((l) => readInventoryFile(l, opts)));
    const kind = parts.length === 1 ? parts[0]!.kind : 'lockfiles';
    return inventory(target, kind, parts.flatMap((p) => p.packages), locks, parts.flatMap((p) => p.warnings));
  }
  if (await exists(join(target, 'node_modules'))) {
    const r = packagesOfManifests(await collectManifests(target), join(target, 'node_modules'));
    return inventory(target, 'node_modules', r.packages, [join(target, 'package.json'), join(target, 'node_modules')], r.warnings);
  }
  throw inputError(target, `nothing to scan: no lockfile (${LOCKFILES.join(', ')}), node_modules, root filesystem or OCI image layout here`);
}
