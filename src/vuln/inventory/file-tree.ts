/**
 * A root filesystem — a folder on disk or an image's merged layers — reduced to the few files
 * that say what is installed: dpkg's database, os-release, and package.json files of
 * node_modules trees. Both sources fill the same map, so one reader serves both.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Package } from '../types.js';
import { ecosystemOfOsRelease, parseDpkgStatus } from './dpkg-status.js';
import { inputError } from './errors.js';
import { packagesOfManifests, type ManifestFile } from './node-modules.js';

/** Relative POSIX path (no leading `/`) → file content. */
export type FileMap = Map<string, string>;

const DPKG_STATUS = 'var/lib/dpkg/status';
const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';

/** The files worth keeping from a root filesystem. */
export function isInventoryFile(path: string): boolean {
  return (
    path === DPKG_STATUS ||
    (path.startsWith(DPKG_STATUS_D) && !path.endsWith('.md5sums')) ||
    path === 'etc/os-release' ||
    path === 'usr/lib/os-release' ||
    path === 'package.json' ||
    path.endsWith('/package.json')
  );
}

/**
 * Packages in a file map. `where(path)` turns a map path into what messages and findings show
 * (an absolute path on disk, or `/path` inside an image).
 */
export function packagesOfFileMap(files: FileMap, where: (path: string) => string): { packages: Package[]; warnings: string[] } {
  const packages: Package[] = [];
  const warnings: string[] = [];
  const ecosystem = ecosystemOfOsRelease(files.get('etc/os-release') ?? files.get('usr/lib/os-release'));
  for (const [path, text] of files) {
    if (path === DPKG_STATUS || path.startsWith(DPKG_STATUS_D)) packages.push(...parseDpkgStatus(text, where(path), ecosystem));
  }
  // node_modules trees, grouped by the project folder that holds them.
  const projects = new Map<string, ManifestFile[]>();
  for (const [path, text] of files) {
    const i = path.indexOf('node_modules/');
    if (i === -1 || !path.endsWith('/package.json')) continue;
    const root = path.slice(0, i).replace(/\/$/, '');
    const location = path.slice(i, -'/package.json'.length);
    // Only a package's own package.json, not fixtures or templates deeper inside it.
    if (!/^(node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(@[^/]+\/)?[^/@.][^/]*(\/|$))+$/.test(`${location}/`)) continue;
    let list = projects.get(root);
    if (!list) {
      list = [];
      const own = files.get(root ? `${root}/package.json` : 'package.json');
      if (own !== undefined) list.push({ location: '', file: where(root ? `${root}/package.json` : 'package.json'), text: own });
      projects.set(root, list);
    }
    list.push({ location, file: where(path), text });
  }
  for (const [root, manifests] of projects) {
    const r = packagesOfManifests(manifests, where(root ? `${root}/node_modules` : 'node_modules'));
    packages.push(...r.packages);
    warnings.push(...r.warnings);
  }
  return { packages, warnings };
}

const SKIP_DIRS = new Set(['proc', 'sys', 'dev', 'run', '.git']);

/** Reads the inventory files of a root filesystem folder, without following symlinks. */
export async function fileMapOfFolder(root: string): Promise<FileMap> {
  const files: FileMap = new Map();
  const walk = async (rel: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(join(root, rel));
    } catch (e) {
      throw inputError(join(root, rel), `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    for (const n of names.sort()) {
      const path = rel ? `${rel}/${n}` : n;
      if (!rel && SKIP_DIRS.has(n)) continue;
      const st = await lstat(join(root, path)).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) await walk(path);
      else if (st.isFile() && isInventoryFile(path)) files.set(path, await readFile(join(root, path), 'utf8'));
    }
  };
  await walk('');
  return files;
}
