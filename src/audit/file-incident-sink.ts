/**
 * One JSON file per incident under `<ESQ_HOME>/incidents/`, written atomically (temp file,
 * fsync, rename): a reader sees the whole incident or none of it.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Incident } from '../engine/types.js';
import type { IncidentSink } from '../engine/ports.js';

export class FileIncidentSink implements IncidentSink {
  private ready = false;
  constructor(readonly dir: string) {}

  record(incident: Incident): void {
    if (!this.ready) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.ready = true;
    }
    const final = join(this.dir, `${incident.id}.json`);
    const tmp = `${final}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(incident, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, final);
  }

  pathOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}
