/**
 * The package's root folder (where package.json, schemas/ and packs/ live), found by walking up
 * from this module — the same answer whether ESQ runs from dist/ or from source.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'schemas'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('esq: cannot find the package root (package.json with schemas/)');
    dir = up;
  }
  root = dir;
  return dir;
}
