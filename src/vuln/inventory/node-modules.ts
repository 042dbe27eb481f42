/**
 * An installed node_modules tree: every `package.json` under it, read as the npm folder tree.
 * The same builder serves a folder on disk and the files collected from an image's layers.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Package } from '../types.js';
import { inputError, isRecord, parseJsonText } from './errors.js';
import { packagesOfTree, type NpmNode } from './npm-tree.js';

/** A package.json found at `location` (`node_modules/a/node_modules/b`, or `''` for the project). */
export interface ManifestFile {
  location: string;
  /** For messages: where the file really is. */
  file: string;
  text: string;
}

const keys = (v: unknown): string[] => (isRecord(v) ? Object.keys(v) : []);

/** Packages of one project's node_modules, given its package.json files. */
export function packagesOfManifests(manifests: ManifestFile[], source: string): { packages: Package[]; warnings: string[] } {
  const nodes = new Map<string, NpmNode>();
  const warnings: string[] = [];
  let prodDeps: string[] = [];
  let devDeps: string[] = [];
  for (const m of manifests) {
    const json = parseJsonText(m.text, m.file);
    if (!isRecord(json)) throw inputError(m.file, 'package.json must hold a JSON object', { line: 1 });
    if (m.location === '') {
      prodDeps = [...keys(json.dependencies), ...keys(json.optionalDependencies)];
      devDeps = keys(json.devDependencies);
      nodes.set('', { name: typeof json.name === 'string' ? json.name : '', deps: [] });
      continue;
    }
    if (typeof json.name !== 'string' || typeof json.version !== 'string') {
      warnings.push(`${m.file}: no "name" and "version"; package not scanned`);
      continue;
    }
    nodes.set(m.location, {
      name: json.name,
      version: json.version,
      deps: [...keys(json.dependencies), ...keys(json.optionalDependencies), ...keys(json.peerDependencies)],
    });
  }
  return { packages: packagesOfTree({ nodes, prodDeps, devDeps }, source), warnings };
}

/** Collects `<dir>/package.json` and every package.json inside `<dir>/node_modules`, without following symlinks. */
export async function collectManifests(dir: string): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  const read = async (location: string, folder: string): Promise<boolean> => {
    const file = join(folder, 'package.json');
    try {
      out.push({ location, file, text: await readFile(file, 'utf8') });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
      throw inputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const walk = async (location: string, folder: string): Promise<void> => {
    const nm = join(folder, 'node_modules');
    let names: string[];
    try {
      names = await readdir(nm);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      if (n.startsWith('.') && n !== '.pnpm') continue;
      const scoped = n.startsWith('@') ? (await readdir(join(nm, n)).catch(() => [] as string[])).sort().map((s) => `${n}/${s}`) : [n];
      for (const name of scoped) {
        const path = join(nm, name);
        const st = await lstat(path).catch(() => undefined);
        if (!st?.isDirectory()) continue; // symlinks (pnpm, workspaces) point at code read elsewhere
        const loc = `${location ? `${location}/` : ''}node_modules/${name}`;
        if (name === '.pnpm') {
          // pnpm's virtual store: `.pnpm/<name@version>/node_modules/<name>`.
          for (const v of (await readdir(path)).sort()) await walk(`${loc}/${v}`, join(path, v));
          continue;
        }
        await read(loc, path);
        await walk(loc, path);
      }
    }
  };
  await read('', dir);
  await walk('', dir);
  return out;
}
