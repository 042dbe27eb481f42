/**
 * Reading packs from disk (the edge around the pure compiler). A pack is a folder: an optional
 * `pack.yaml` manifest, rulebooks (`*.yaml`/`*.yml`, any depth), and policy tests (`*_test.yaml`,
 * or anything under a `tests/` folder) which are not rulebooks.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { PackNotFoundError } from '../errors.js';
import type { PolicySet } from '../engine/policy-set.js';
import { compilePack, type PackSource, type SourceFile } from './compile.js';
import { packageRoot } from '../util/package-root.js';

export const BUILTIN_PACKS_DIR = join(packageRoot(), 'packs');
export const MANIFEST = 'pack.yaml';
/**
 * Built-in packs composed into every pack the service and the default governor run: they govern
 * ESQ's own operations (the envelope's vulnerability quarantine), whichever domain pack is chosen.
 */
export const COMPANION_PACKS: readonly string[] = ['envelope'];

export function isPolicyTestFile(name: string): boolean {
  return /(_test|\.test)\.ya?ml$/.test(name);
}
const isYaml = (name: string) => /\.ya?ml$/.test(name);

/** Names of the packs shipped with ESQ. */
export function builtinPackNames(): string[] {
  if (!existsSync(BUILTIN_PACKS_DIR)) return [];
  return readdirSync(BUILTIN_PACKS_DIR).filter((n) => existsSync(join(BUILTIN_PACKS_DIR, n, MANIFEST))).sort();
}

/** A pack name (`hipaa`) or a folder path → the pack's folder. */
export function resolvePackDir(nameOrPath: string): string {
  const asPath = resolve(nameOrPath);
  if (existsSync(asPath) && statSync(asPath).isDirectory()) return asPath;
  const builtin = join(BUILTIN_PACKS_DIR, nameOrPath);
  if (/^[a-z0-9][a-z0-9._-]*$/.test(nameOrPath) && existsSync(join(builtin, MANIFEST))) return builtin;
  throw new PackNotFoundError(nameOrPath, [asPath, `built-in packs (${builtinPackNames().join(', ') || 'none'})`]);
}

function rulebookPaths(dir: string, entries: string[]): string[] {
  return entries
    .filter((rel) => isYaml(rel) && basename(rel) !== MANIFEST && !isPolicyTestFile(rel) && !rel.split(/[\\/]/).includes('tests'))
    .sort()
    .map((rel) => join(dir, rel));
}

function display(dir: string, file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel || basename(dir);
}

function sourceOf(dir: string, files: Array<[string, string]>, manifestText: string | undefined): PackSource {
  const src: PackSource = {
    dir,
    fallbackName: basename(dir),
    rulebooks: files.map(([path, text]): SourceFile => ({ path: display(dir, path), text })),
  };
  if (manifestText !== undefined) src.manifest = { path: display(dir, join(dir, MANIFEST)), text: manifestText };
  return src;
}

/** Synchronous load, for start-up paths (CLI, the hook's default engine). */
export function loadPackSync(nameOrPath: string): PolicySet {
  const dir = resolvePackDir(nameOrPath);
  const entries = readdirSync(dir, { recursive: true }) as string[];
  const files = rulebookPaths(dir, entries).map((p): [string, string] => [p, readFileSync(p, 'utf8')]);
  const manifestPath = join(dir, MANIFEST);
  return compilePack(sourceOf(dir, files, existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : undefined));
}

/** Asynchronous load, for reloads inside a running process. */
export async function loadPack(nameOrPath: string): Promise<PolicySet> {
  const dir = resolvePackDir(nameOrPath);
  const entries = (await readdir(dir, { recursive: true })) as string[];
  const files = await Promise.all(rulebookPaths(dir, entries).map(async (p): Promise<[string, string]> => [p, await readFile(p, 'utf8')]));
  const manifestText = await readFile(join(dir, MANIFEST), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  return compilePack(sourceOf(dir, files, manifestText));
}
