/**
 * Scanning inputs too large for one piece: chunks with an overlap, so a finding that straddles a
 * chunk border is found whole in the next round, and a margin of kept text so context words
 * before a border still count. Each finding is emitted once, in order, with offsets into the
 * whole input (JavaScript string indices of the decoded text).
 */
import type { Analyzer } from './analyzer.js';
import type { AnalyzeOptions, Finding } from './types.js';

export interface StreamOptions {
  /** Characters analyzed per round (default 1 Mi). */
  chunkChars?: number;
  /** Longest entity that must survive a border (default 16 Ki: PEM keys are the longest). */
  overlapChars?: number;
  /** Text kept before a border for context words (default 256). */
  contextChars?: number;
}

export async function* analyzeStream(source: AsyncIterable<string> | Iterable<string>, analyzer: Analyzer, opts: AnalyzeOptions = {}, s: StreamOptions = {}): AsyncGenerator<Finding> {
  const chunk = s.chunkChars ?? 1 << 20;
  const overlap = s.overlapChars ?? 16 * 1024;
  const keep = s.contextChars ?? 256;
  let buf = '';
  let base = 0; // global offset of buf[0]
  let emitted = 0; // every finding starting before this global offset was already emitted

  const round = (final: boolean): Finding[] => {
    // Findings starting at or after `cut` may be incomplete; the next round sees them whole.
    const cut = final ? buf.length : buf.length - overlap;
    const out: Finding[] = [];
    for (const f of analyzer.analyze(buf, opts)) {
      const g = base + f.start;
      if (f.start < cut && g >= emitted) out.push({ ...f, start: g, end: base + f.end });
    }
    if (!final) {
      emitted = base + cut;
      const from = Math.max(0, cut - keep);
      buf = buf.slice(from);
      base += from;
    }
    return out;
  };

  for await (const piece of source) {
    buf += piece;
    while (buf.length >= chunk + overlap) yield* round(false);
  }
  yield* round(true);
}

/** Decodes a byte stream as UTF-8 without splitting characters at chunk borders. */
export async function* utf8Chunks(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const dec = new TextDecoder('utf-8', { fatal: false });
  for await (const b of bytes) {
    const s = dec.decode(b, { stream: true });
    if (s) yield s;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}
