import type { IncidentSink } from '../engine/ports.js';
import type { Incident } from '../engine/types.js';

/** Keeps incidents in memory (tests, embedding). */
export class MemoryIncidentSink implements IncidentSink {
  readonly incidents: Incident[] = [];
  record(incident: Incident): void {
    this.incidents.push(incident);
  }
}
