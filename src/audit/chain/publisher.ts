/**
 * Where checkpoints go besides the store. Publishing outside the database is the point: whoever can
 * rewrite the database cannot also rewrite what was published (a file on another volume, a WORM bucket,
 * a transparency log, a ticket).
 */
import type { Checkpoint } from './checkpoint.js';

export interface CheckpointPublisher {
  /** Durably records the checkpoint before resolving. */
  publish(cp: Checkpoint): Promise<void>;
  /** The most recently published checkpoint, if any. */
  latest(): Promise<Checkpoint | undefined>;
}
