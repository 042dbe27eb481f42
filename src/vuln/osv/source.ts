/**
 * OSV data as the public exports lay it out: one JSON file per advisory, grouped in a folder per
 * ecosystem, or the same files in a zip (`<ecosystem>/all.zip`). A folder may hold zips too.
 */
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { inputError } from '../inventory/errors.js';

export interface OsvFile {
  /** For messages: `dir/npm/GHSA-….json` or `all.zip:GHSA-….json`. */
  name: string;
  text: string;
}

const MAX_RECORD = 32 * 1024 * 1024;

async function* zipFiles(zip: string): AsyncGenerator<OsvFile> {
  let z: yauzl.ZipFile;
  try {
    z = await yauzl.openPromise(zip);
  } catch (e) {
    throw inputError(zip, `not a readable zip: ${(e as Error).message}`);
  }
  try {
    for await (const entry of z.eachEntry()) {
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) continue;
      const name = `${zip}:${entry.fileName}`;
      if (entry.uncompressedSize > MAX_RECORD) throw inputError(name, `record larger than ${MAX_RECORD} bytes`);
      const stream = await z.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      yield { name, text: Buffer.concat(chunks).toString('utf8') };
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'ESQ_INVALID_INPUT') throw e;
    throw inputError(zip, `not a readable zip: ${(e as Error).message}`);
  } finally {
    z.close();
  }
}

async function* folderFiles(dir: string): AsyncGenerator<OsvFile> {
  const names = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const d of names) {
    const path = join(dir, d.name);
    if (d.isDirectory()) yield* folderFiles(path);
    // Synchronous reads: an export is tens of thousands of small files, read one after another anyway.
    else if (d.isFile() && d.name.endsWith('.json')) yield { name: path, text: readFileSync(path, 'utf8') };
    else if (d.isFile() && d.name.endsWith('.zip')) yield* zipFiles(path);
  }
}

/** Every advisory file under `path` (a folder, a zip, or one record's JSON file), in a stable order. */
export async function* osvFiles(path: string): AsyncGenerator<OsvFile> {
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw inputError(path, `cannot read: ${e.code ?? e.message}`);
  });
  if (st.isDirectory()) yield* folderFiles(path);
  else if (path.endsWith('.json')) yield { name: path, text: readFileSync(path, 'utf8') };
  else yield* zipFiles(path);
}
