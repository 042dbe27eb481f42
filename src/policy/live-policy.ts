/**
 * Hot reload. Watches a pack folder; on change it loads, validates and compiles everything into a
 * new PolicySet, then swaps one reference. A decision reads `current` once, so it sees the old set
 * or the new one, never a mixture. A broken change never replaces working rules: the error is
 * logged and kept in `status`, and the previous rules keep serving.
 */
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'chokidar';
import type { PolicySet } from '../engine/policy-set.js';
import type { PolicyProvider } from '../engine/ports.js';
import { PolicyLoadError, type SourceProblem } from '../errors.js';
import type { Logger } from '../util/log.js';
import { composePolicySets } from './compose.js';
import { loadPack, loadPackSync, resolvePackDir } from './pack-files.js';


export interface ReloadStatus {
  ok: boolean;
  version: string;
  loadedAt: string;
  lastAttemptAt: string;
  reloads: number;
  failures: number;
  error?: { message: string; problems: SourceProblem[] };
}

export type ReloadResult = { ok: true; version: string; changed: boolean } | { ok: false; error: Error };

export class LivePolicy extends EventEmitter implements PolicyProvider {
  #current: PolicySet;
  #status: ReloadStatus;
  #watcher: FSWatcher | undefined;
  #ready: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<ReloadResult> | undefined;
  #queued: Promise<ReloadResult> | undefined;
  readonly dir: string;

  private constructor(
    dir: string,
    initial: PolicySet,
    private readonly log?: Logger,
    private readonly companions: readonly PolicySet[] = [],
  ) {
    super();
    this.dir = dir;
    this.#current = composePolicySets(initial, companions);
    const now = new Date().toISOString();
    this.#status = { ok: true, version: this.#current.version, loadedAt: now, lastAttemptAt: now, reloads: 0, failures: 0 };
  }

  /**
   * Loads the pack now (throws PolicyLoadError if it is broken: there is nothing old to keep serving).
   * `companions` (built-in packs such as `envelope`) are composed into it on every load.
   */
  static open(nameOrPath: string, opts: { log?: Logger; companions?: readonly string[] } = {}): LivePolicy {
    const dir = resolvePackDir(nameOrPath);
    return new LivePolicy(dir, loadPackSync(dir), opts.log, (opts.companions ?? []).map((c) => loadPackSync(c)));
  }

  get current(): PolicySet {
    return this.#current;
  }

  get status(): ReloadStatus {
    return { ...this.#status };
  }

  /**
   * Reloads from disk. At most one load runs at a time; calls made while one runs share a single
   * follow-up load, which starts after it and so sees every change made before the call.
   */
  reload(): Promise<ReloadResult> {
    if (!this.#inFlight) {
      this.#inFlight = this.#reloadOnce().finally(() => {
        this.#inFlight = undefined;
      });
      return this.#inFlight;
    }
    this.#queued ??= this.#inFlight.then(() => {
      this.#queued = undefined;
      return this.reload();
    });
    return this.#queued;
  }

  async #reloadOnce(): Promise<ReloadResult> {
    const attempt = new Date().toISOString();
    this.#status.lastAttemptAt = attempt;
    try {
      const next = composePolicySets(await loadPack(this.dir), this.companions);
      const changed = next.version !== this.#current.version;
      this.#current = next; // the atomic swap
      this.#status = { ...this.#status, ok: true, version: next.version, loadedAt: attempt, reloads: this.#status.reloads + 1 };
      delete this.#status.error;
      if (changed) this.log?.info({ pack: next.name, version: next.version, rules: next.rules.length }, 'policy reloaded');
      this.emit('reload', { ok: true, version: next.version, changed });
      return { ok: true, version: next.version, changed };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const problems = err instanceof PolicyLoadError ? err.problems : [];
      this.#status = { ...this.#status, ok: false, failures: this.#status.failures + 1, error: { message: error.message, problems } };
      this.log?.error({ pack: this.#current.name, keptVersion: this.#current.version, problems }, `policy reload rejected; previous rules keep serving: ${error.message}`);
      this.emit('reload', { ok: false, error });
      return { ok: false, error };
    }
  }

  /** Starts watching the pack folder. Bursts of file events are debounced into one reload. */
  watch(debounceMs = 75): this {
    if (this.#watcher) return this;
    const watcher = watch(this.dir, { ignoreInitial: true, awaitWriteFinish: false });
    this.#watcher = watcher;
    this.#ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const schedule = () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.reload(), debounceMs);
    };
    this.#watcher.on('all', schedule);
    this.#watcher.on('error', (e) => this.log?.error({ err: e }, 'policy watcher error'));
    return this;
  }

  /** Resolves once the watcher is ready to report changes. */
  ready(): Promise<void> {
    return this.#ready;
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#watcher?.close();
    this.#watcher = undefined;
    await this.#inFlight;
  }
}
