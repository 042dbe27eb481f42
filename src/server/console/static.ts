/**
 * The built console (`dist/web`, from `vite build --config web/vite.config.ts`) served from disk
 * with node:fs. Vite names everything under `assets/` by content hash, so those files are cached
 * for a year as immutable; index.html is never cached (it names the current hashes).
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { packageRoot } from '../../util/package-root.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export function defaultWebRoot(): string {
  return join(packageRoot(), 'dist', 'web');
}

export interface StaticFile {
  body: Buffer;
  type: string;
  cacheControl: string;
}

/**
 * Reads `rel` (a path below the console root, already URL-decoded) from `root`. Undefined for
 * anything outside the root, hidden files, folders and missing files.
 */
export async function readStatic(root: string, rel: string): Promise<StaticFile | undefined> {
  if (rel.includes('\0') || rel.split('/').some((seg) => seg.startsWith('.') || seg.includes('\\'))) return undefined;
  const base = resolve(root);
  const file = resolve(base, rel);
  if (!file.startsWith(base + sep)) return undefined;
  const type = TYPES[extname(file).toLowerCase()];
  if (!type) return undefined;
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return { body: await readFile(file), type, cacheControl: rel.startsWith('assets/') ? IMMUTABLE : 'no-cache' };
  } catch {
    return undefined;
  }
}

export function isBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}
