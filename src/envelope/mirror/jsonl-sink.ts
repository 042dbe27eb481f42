/**
 * Example mirror plug-in: appends each event as one JSON line to a file (created 0600). With
 * bodies enabled the file holds traffic content, so point it at storage cleared for that data.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MirrorEvent, MirrorSink } from './types.js';

export class JsonlFileSink implements MirrorSink {
  readonly name: string;
  private fh: Promise<FileHandle> | undefined;

  constructor(readonly path: string) {
    this.name = `jsonl:${path}`;
  }

  private handle(): Promise<FileHandle> {
    this.fh ??= mkdir(dirname(this.path), { recursive: true, mode: 0o700 }).then(() => open(this.path, 'a', 0o600));
    return this.fh;
  }

  async write(batch: readonly MirrorEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const fh = await this.handle();
    await fh.write(batch.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await (await fh).close();
  }
}
