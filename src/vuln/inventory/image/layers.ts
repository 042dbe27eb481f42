/**
 * Image layers as changes to a root filesystem (OCI image spec, "Image Layer Filesystem
 * Changeset"): each layer adds files and removes lower ones with whiteouts — `.wh.<name>`
 * deletes `<name>`, `.wh..wh..opq` empties its folder of everything from lower layers. Only the
 * files the inventory needs are kept, so a layer reduces to a small delta that is applied in
 * manifest order.
 */
import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { inputError } from '../errors.js';
import { isInventoryFile, type FileMap } from '../file-tree.js';

type Node = { text: string } | { symlink: string } | { hardlink: string };

export interface LayerDelta {
  /** Paths removed with everything under them (`.wh.<name>`). */
  removals: string[];
  /** Folders whose lower-layer contents are hidden (`.wh..wh..opq`). */
  opaque: string[];
  files: Map<string, Node>;
}

/** The merged filesystem while layers are applied: only inventory files (and links to them). */
export type MergedFs = Map<string, Node>;

const MAX_FILE = 64 * 1024 * 1024;
const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';

export function normalizeEntryPath(p: string): string {
  return p.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/**
 * Reads one layer (tar, gzip or zstd; detected by the parser) into its delta.
 * @param stream a file stream, or an entry of an outer archive (read with backpressure)
 */
export async function readLayer(stream: NodeJS.ReadableStream, label: string, expectDigest?: string): Promise<LayerDelta> {
  const delta: LayerDelta = { removals: [], opaque: [], files: new Map() };
  const hash = expectDigest ? createHash('sha256') : undefined;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (e: Error): void => {
      if (failed) return;
      failed = true;
      // Drain rather than destroy: the stream may be an entry of an archive still being read.
      stream.unpipe();
      stream.resume();
      reject(inputError(label, `not a readable image layer: ${e.message}`));
    };
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const path = normalizeEntryPath(entry.path);
        const slash = path.lastIndexOf('/');
        const dir = slash === -1 ? '' : path.slice(0, slash);
        const base = path.slice(slash + 1);
        if (base === OPAQUE) delta.opaque.push(dir);
        else if (base.startsWith(WH)) delta.removals.push(dir ? `${dir}/${base.slice(WH.length)}` : base.slice(WH.length));
        else if (isInventoryFile(path)) {
          if (entry.type === 'SymbolicLink' && entry.linkpath) delta.files.set(path, { symlink: entry.linkpath });
          else if (entry.type === 'Link' && entry.linkpath) delta.files.set(path, { hardlink: normalizeEntryPath(entry.linkpath) });
          else if (entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile') {
            if (entry.size > MAX_FILE) {
              fail(new Error(`${path} is larger than ${MAX_FILE} bytes`));
              return;
            }
            const chunks: Buffer[] = [];
            entry.on('data', (c: Buffer) => chunks.push(c));
            entry.on('end', () => delta.files.set(path, { text: Buffer.concat(chunks).toString('utf8') }));
            return;
          }
        }
        entry.resume();
      },
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (!failed) resolve();
    });
    stream.on('error', fail);
    if (hash) stream.on('data', (c: Buffer) => hash.update(c));
    stream.pipe(parser as unknown as NodeJS.WritableStream);
  });
  if (hash && expectDigest) {
    const got = `sha256:${hash.digest('hex')}`;
    if (got !== expectDigest) throw inputError(label, `layer digest mismatch: expected ${expectDigest}, got ${got}`);
  }
  return delta;
}

function removeTree(fs: MergedFs, path: string): void {
  fs.delete(path);
  const prefix = path === '' ? '' : `${path}/`;
  for (const k of [...fs.keys()]) if (k.startsWith(prefix)) fs.delete(k);
}

/** Applies one layer on top of the filesystem so far. Whiteouts only hide lower layers. */
export function applyLayer(fs: MergedFs, delta: LayerDelta): void {
  for (const dir of delta.opaque) removeTree(fs, dir === '' ? '' : dir);
  for (const r of delta.removals) removeTree(fs, r);
  for (const [path, node] of delta.files) {
    if ('hardlink' in node) {
      const target = delta.files.get(node.hardlink) ?? fs.get(node.hardlink);
      if (target && 'text' in target) fs.set(path, target);
      continue;
    }
    fs.set(path, node);
  }
}

/** Resolves symlinks (relative or absolute, a few hops) and returns plain file contents. */
export function filesOf(fs: MergedFs): FileMap {
  const out: FileMap = new Map();
  const resolve = (path: string, hops: number): string | undefined => {
    const node = fs.get(path);
    if (!node || hops > 8) return undefined;
    if ('text' in node) return node.text;
    if ('hardlink' in node) return resolve(node.hardlink, hops + 1);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const parts = (node.symlink.startsWith('/') ? node.symlink : `${dir}/${node.symlink}`).split('/');
    const stack: string[] = [];
    for (const p of parts) {
      if (p === '' || p === '.') continue;
      if (p === '..') stack.pop();
      else stack.push(p);
    }
    return resolve(stack.join('/'), hops + 1);
  };
  for (const path of fs.keys()) {
    const text = resolve(path, 0);
    if (text !== undefined) out.set(path, text);
  }
  return out;
}
