/**
 * Container images: an OCI image layout folder, or a tarball (`docker save`, or an OCI layout
 * packed as a tar). Layers are merged in order with whiteouts honoured; packages are reported
 * against the image digest.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import type { Package } from '../../types.js';
import { inputError } from '../errors.js';
import { packagesOfFileMap } from '../file-tree.js';
import { applyLayer, filesOf, normalizeEntryPath, readLayer, type LayerDelta, type MergedFs } from './layers.js';
import { planDockerSave, planOci, type ImagePlan } from './manifest.js';

export interface ImageOptions {
  platform?: string;
  tag?: string;
}

export interface ImageInventory {
  digest: string;
  tags: string[];
  packages: Package[];
  warnings: string[];
}

function merge(plan: ImagePlan, deltas: LayerDelta[]): { packages: Package[]; warnings: string[] } {
  const fs: MergedFs = new Map();
  for (const d of deltas) applyLayer(fs, d);
  return packagesOfFileMap(filesOf(fs), (p) => `${plan.digest}:/${p}`);
}

const blobPath = (dir: string, digest: string): string => join(dir, 'blobs', ...digest.split(':'));

export async function readOciLayout(dir: string, opts: ImageOptions = {}): Promise<ImageInventory> {
  const indexFile = join(dir, 'index.json');
  const indexText = await readFile(indexFile, 'utf8').catch(() => {
    throw inputError(indexFile, 'cannot read: not an OCI image layout (no index.json)');
  });
  const readBlob = (digest: string): Promise<string> =>
    readFile(blobPath(dir, digest), 'utf8').catch(() => {
      throw inputError(blobPath(dir, digest), 'blob missing from the image layout');
    });
  const plan = await planOci(indexText, indexFile, readBlob, opts);
  const deltas: LayerDelta[] = [];
  for (const l of plan.layers) {
    const file = blobPath(dir, l.ref);
    const stream = createReadStream(file);
    deltas.push(await readLayer(stream, file, l.digest));
  }
  return { digest: plan.digest, tags: plan.tags, ...merge(plan, deltas) };
}

/** Small JSON members are kept whole; everything else is read as a possible layer on the way past. */
const SMALL = 4 * 1024 * 1024;

export async function readImageArchive(file: string, opts: ImageOptions = {}): Promise<ImageInventory> {
  const jsons = new Map<string, string>();
  const deltas = new Map<string, LayerDelta>();
  const links = new Map<string, string>();
  const pending: Array<Promise<void>> = [];
  const layerErrors = new Map<string, Error>(); // only fatal for layers the manifest lists
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (e: Error): void => {
      if (!failed) reject(e instanceof Error && 'code' in e && (e as { code?: string }).code === 'ESQ_INVALID_INPUT' ? e : inputError(file, `not a readable image archive: ${e.message}`));
      failed = true;
    };
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const path = normalizeEntryPath(entry.path);
        if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
          if (entry.linkpath) links.set(path, entry.linkpath);
          entry.resume();
          return;
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          entry.resume();
          return;
        }
        const isJson = path.endsWith('.json') || path === 'index.json' || path === 'oci-layout' || (path.startsWith('blobs/') && entry.size < SMALL);
        if (isJson && entry.size < SMALL) {
          const chunks: Buffer[] = [];
          entry.on('data', (c: Buffer) => chunks.push(c));
          entry.on('end', () => jsons.set(path, Buffer.concat(chunks).toString('utf8')));
          // Small blobs may still be layers (a tiny layer); keep the bytes to try both.
          if (path.startsWith('blobs/')) {
            entry.on('end', () => pending.push(readLayer(Readable.from([Buffer.concat(chunks)]), `${file}:${path}`).then((d) => void deltas.set(path, d), () => undefined)));
          }
          return;
        }
        if (path.endsWith('.tar') || path.endsWith('layer.tar') || path.startsWith('blobs/')) {
          pending.push(readLayer(entry as unknown as NodeJS.ReadableStream, `${file}:${path}`).then((d) => void deltas.set(path, d), (e: Error) => void layerErrors.set(path, e)));
          return;
        }
        entry.resume();
      },
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (!failed) resolve();
    });
    const input = createReadStream(file);
    input.on('error', (e) => fail(inputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });
  await Promise.all(pending);

  const warnings: string[] = [];
  let plan: ImagePlan;
  if (jsons.has('index.json') && jsons.has('oci-layout')) {
    plan = await planOci(jsons.get('index.json')!, `${file}:index.json`, async (digest) => {
      const text = jsons.get(`blobs/${digest.replace(':', '/')}`);
      if (text === undefined) throw inputError(`${file}:blobs/${digest.replace(':', '/')}`, 'blob missing from the archive');
      return text;
    }, opts);
    plan.layers = plan.layers.map((l) => ({ ...l, ref: `blobs/${l.ref.replace(':', '/')}` }));
  } else if (jsons.has('manifest.json')) {
    const p = planDockerSave(jsons.get('manifest.json')!, `${file}:manifest.json`, opts);
    warnings.push(...p.warnings);
    plan = p;
  } else {
    throw inputError(file, 'not a container image archive: no manifest.json (docker save) or index.json (OCI)');
  }
  const ordered = plan.layers.map((l) => {
    let ref = normalizeEntryPath(l.ref);
    // Older docker save archives link identical layers to one copy.
    for (let hops = 0; !deltas.has(ref) && links.has(ref) && hops < 4; hops++) {
      const target = links.get(ref)!;
      ref = target.startsWith('/') ? normalizeEntryPath(target) : normalizeEntryPath(join(ref, '..', target));
    }
    const d = deltas.get(ref);
    const err = layerErrors.get(ref);
    if (!d && err) throw err;
    if (!d) throw inputError(file, `layer ${l.ref} listed in the manifest is missing or unreadable`);
    return d;
  });
  const merged = merge(plan, ordered);
  return { digest: plan.digest, tags: plan.tags, packages: merged.packages, warnings: [...warnings, ...merged.warnings] };
}
