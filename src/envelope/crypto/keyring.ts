/**
 * The keyring: versioned key-encryption keys (KEKs) per classification, each stored wrapped by the
 * KMS (the master key) in one JSON file, `<ESQ_HOME>/keys/keyring.json` (0600, replaced atomically,
 * changed only under a cross-process lock):
 *
 *   { "format": "esq.keyring/v1", "kms": "local:3f2a…",
 *     "classes": { "esq:kms:pii-high": { "current": 2, "versions": [
 *       { "version": 1, "state": "retired", "createdAt": "…", "retiredAt": "…" },
 *       { "version": 2, "state": "active", "createdAt": "…", "wrapped": "<base64 AES-GCM>" } ] } } }
 *
 * A retired version keeps its number (never reused) but loses its key material: data still sealed
 * under it would be unreadable, which is why retirement is refused while anything uses it.
 * Unwrapped KEKs are cached in memory until `close()`, which zeroes them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { checkClassification, encodeAad } from './context.js';
import { withFileLock } from './file-lock.js';
import type { KmsProvider } from './kms.js';

export const KEYRING_FORMAT = 'esq.keyring/v1';

export interface KekVersionInfo {
  version: number;
  state: 'active' | 'retired';
  createdAt: string;
  retiredAt?: string;
}

interface KekRecord extends KekVersionInfo {
  wrapped?: string;
}

interface ClassRecord {
  current: number;
  versions: KekRecord[];
}

interface KeyringFile {
  format: typeof KEYRING_FORMAT;
  kms: string;
  classes: Record<string, ClassRecord>;
}

/** How many stored objects still use a KEK version (the store that holds them answers). */
export type KeyUsage = (classification: string, version: number) => number | Promise<number>;

export interface KeyringOptions {
  path: string;
  kms: KmsProvider;
  clock?: () => Date;
}

export function defaultKeyringPath(home: string): string {
  return join(home, 'keys', 'keyring.json');
}

const kekAad = (cls: string, version: number): Buffer => encodeAad('esq.kek/v1', [cls, version]);

function parseFile(text: string, path: string): KeyringFile {
  let data: KeyringFile;
  try {
    data = JSON.parse(text) as KeyringFile;
  } catch (e) {
    throw new ConfigError(`keyring ${path} is not valid JSON (${(e as Error).message}); restore it from backup`);
  }
  const ok = data && data.format === KEYRING_FORMAT && typeof data.kms === 'string' && data.classes && typeof data.classes === 'object'
    && Object.values(data.classes).every((c) => Number.isInteger(c?.current) && Array.isArray(c.versions));
  if (!ok) throw new ConfigError(`keyring ${path} is not an ${KEYRING_FORMAT} file; restore it from backup`);
  return data;
}

export class Keyring {
  readonly path: string;
  private readonly kms: KmsProvider;
  private readonly clock: () => Date;
  private data: KeyringFile;
  private stamp = '';
  private readonly cache = new Map<string, Buffer>();

  constructor(opts: KeyringOptions) {
    this.path = opts.path;
    this.kms = opts.kms;
    this.clock = opts.clock ?? (() => new Date());
    this.data = { format: KEYRING_FORMAT, kms: this.kms.keyId, classes: {} };
    this.reloadIfChanged();
  }

  private fileStamp(): string {
    try {
      const s = statSync(this.path);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw e;
    }
  }

  /** Picks up changes another process made (a rotation by `esq vault rotate`, say). */
  private reloadIfChanged(force = false): void {
    const stamp = this.fileStamp();
    if (!force && stamp === this.stamp) return;
    this.stamp = stamp;
    if (stamp === '') {
      this.data = { format: KEYRING_FORMAT, kms: this.kms.keyId, classes: {} };
      return;
    }
    const data = parseFile(readFileSync(this.path, 'utf8'), this.path);
    if (data.kms !== this.kms.keyId) {
      throw new ConfigError(`keyring ${this.path} was made with root key ${data.kms}, but the configured one is ${this.kms.keyId}: restore the original ESQ_MASTER_KEY (or keys/master.key)`);
    }
    this.data = data;
  }

  private async mutate<T>(f: (data: KeyringFile) => Promise<T>): Promise<T> {
    return withFileLock(this.path, async () => {
      this.reloadIfChanged(true);
      const draft = structuredClone(this.data);
      const out = await f(draft);
      writeFileAtomic(this.path, `${JSON.stringify(draft, null, 2)}\n`, 0o600);
      this.data = draft;
      this.stamp = this.fileStamp();
      return out;
    });
  }

  private async addVersion(data: KeyringFile, cls: string): Promise<number> {
    const rec = (data.classes[cls] ??= { current: 0, versions: [] });
    const version = rec.versions.reduce((m, v) => Math.max(m, v.version), 0) + 1;
    const key = randomBytes(32);
    try {
      const wrapped = await this.kms.wrap(key, kekAad(cls, version));
      rec.versions.push({ version, state: 'active', createdAt: this.clock().toISOString(), wrapped: wrapped.toString('base64') });
      rec.current = version;
      this.cache.set(`${cls}#${version}`, Buffer.from(key));
    } finally {
      key.fill(0);
    }
    return version;
  }

  /** The current KEK of a classification, created (v1) on first use. The Buffer belongs to the cache: do not zero it. */
  async current(classification: string): Promise<{ version: number; key: Buffer }> {
    const cls = checkClassification(classification);
    this.reloadIfChanged();
    let version = this.data.classes[cls]?.current;
    if (!version) version = await this.mutate(async (d) => d.classes[cls]?.current || this.addVersion(d, cls));
    return { version, key: await this.kek(cls, version) };
  }

  /** The KEK of one version (cache-owned Buffer). ConfigError when unknown or retired. */
  async kek(classification: string, version: number): Promise<Buffer> {
    const id = `${classification}#${version}`;
    const hit = this.cache.get(id);
    if (hit) return hit;
    this.reloadIfChanged();
    const rec = this.data.classes[classification]?.versions.find((v) => v.version === version);
    if (!rec) throw new ConfigError(`the keyring has no key-encryption key ${classification} v${version}`);
    if (rec.state === 'retired' || !rec.wrapped) throw new ConfigError(`key-encryption key ${classification} v${version} was retired; data sealed under it can no longer be opened`);
    const key = await this.kms.unwrap(Buffer.from(rec.wrapped, 'base64'), kekAad(classification, version));
    this.cache.set(id, key);
    return key;
  }

  /** Adds a new version and makes it current. Existing data stays readable under the old versions. */
  async rotate(classification: string): Promise<number> {
    const cls = checkClassification(classification);
    return this.mutate((d) => this.addVersion(d, cls));
  }

  /** Deletes an old version's key material. Refused for the current version and while `usage` reports objects under it. */
  async retire(classification: string, version: number, usage: KeyUsage): Promise<void> {
    const cls = checkClassification(classification);
    this.reloadIfChanged();
    const rec = this.data.classes[cls];
    const v = rec?.versions.find((x) => x.version === version);
    if (!rec || !v) throw new InvalidInputError(`no key-encryption key ${cls} v${version}`);
    if (v.state === 'retired') return;
    if (rec.current === version) throw new InvalidInputError(`${cls} v${version} is the current version; rotate before retiring it`);
    const inUse = await usage(cls, version);
    if (inUse > 0) throw new InvalidInputError(`${inUse} stored object(s) still use ${cls} v${version}; re-wrap them first (esq vault rotate ${cls})`);
    await this.mutate(async (d) => {
      const r = d.classes[cls]!;
      if (r.current === version) throw new InvalidInputError(`${cls} v${version} became current meanwhile; not retired`);
      const x = r.versions.find((y) => y.version === version)!;
      x.state = 'retired';
      x.retiredAt = this.clock().toISOString();
      delete x.wrapped;
    });
    const cached = this.cache.get(`${cls}#${version}`);
    cached?.fill(0);
    this.cache.delete(`${cls}#${version}`);
  }

  describe(): Array<{ classification: string; current: number; versions: KekVersionInfo[] }> {
    this.reloadIfChanged();
    return Object.entries(this.data.classes).map(([classification, r]) => ({
      classification,
      current: r.current,
      versions: r.versions.map(({ wrapped: _w, ...info }) => info),
    }));
  }

  /** Zeroes every cached KEK. */
  close(): void {
    for (const k of this.cache.values()) k.fill(0);
    this.cache.clear();
  }
}
