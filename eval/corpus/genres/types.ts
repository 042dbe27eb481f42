/** A kind of document: its openings, closings, filler sentences and ways of mentioning entities. */
import type { Rng } from '../rng.js';

export interface Genre {
  name: string;
  /** Separator between sentences or lines. */
  join(rng: Rng): string;
  open: readonly string[];
  close: readonly string[];
  /** Sentences without labelled entities (don't-care dates allowed). */
  filler: readonly string[];
  /** Genre-specific mentions; each template under key E holds an `{E…}` slot. */
  mentions: Readonly<Partial<Record<string, readonly string[]>>>;
  /**
   * Rewrites a mention or filler template before rendering (e.g. chat speaker prefixes).
   * `style` is drawn once per document in [0, 1), so every line of one document looks alike.
   */
  line?(rng: Rng, template: string, style: number): string;
}
