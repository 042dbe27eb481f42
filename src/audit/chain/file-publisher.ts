/**
 * Checkpoints as JSON lines appended to a file: one write(2) per line with O_APPEND (concurrent
 * publishers never interleave), then fsync. A torn last line left by a crash is skipped on read.
 */
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Checkpoint } from './checkpoint.js';
import type { CheckpointPublisher } from './publisher.js';

export function defaultCheckpointFile(home: string): string {
  return join(home, 'audit', 'checkpoints.jsonl');
}

function isCheckpoint(v: unknown): v is Checkpoint {
  const c = v as Checkpoint;
  return !!c && typeof c === 'object' && Number.isSafeInteger(c.seq) && typeof c.hash === 'string' && typeof c.time === 'string' && typeof c.signature === 'string' && typeof c.keyId === 'string';
}

export class FileCheckpointPublisher implements CheckpointPublisher {
  constructor(readonly path: string) {}

  async publish(cp: Checkpoint): Promise<void> {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const json = JSON.stringify({ seq: cp.seq, hash: cp.hash, time: cp.time, signature: cp.signature, keyId: cp.keyId });
    const fd = openSync(this.path, 'a+', 0o600);
    try {
      const size = fstatSync(fd).size;
      const created = size === 0;
      // After a crash mid-line, start on a fresh line so this checkpoint is not glued to the torn one.
      const last = Buffer.alloc(1);
      const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
      writeSync(fd, Buffer.from(`${torn ? '\n' : ''}${json}\n`, 'utf8'));
      fsyncSync(fd);
      if (created) fsyncDir(dir); // make the new file's directory entry durable too
    } finally {
      closeSync(fd);
    }
  }

  async latest(): Promise<Checkpoint | undefined> {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const size = fstatSync(fd).size;
      // Read backwards in growing chunks until a complete, parseable line turns up.
      for (let chunk = 64 * 1024; ; chunk *= 4) {
        const start = Math.max(0, size - chunk);
        const buf = Buffer.alloc(size - start);
        readSync(fd, buf, 0, buf.length, start);
        const lines = buf.toString('utf8').split('\n');
        if (start > 0) lines.shift(); // may be the middle of a line
        for (let i = lines.length - 1; i >= 0; i--) {
          const text = lines[i]!.trim();
          if (!text) continue;
          try {
            const v: unknown = JSON.parse(text);
            if (isCheckpoint(v)) return v;
          } catch {
            // torn or foreign line: keep looking further back
          }
        }
        if (start === 0) return undefined;
      }
    } finally {
      closeSync(fd);
    }
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
