/**
 * Scrubbing inputs too large for one piece. Findings arrive in start order from analyzeStream;
 * overlapping ones are grouped into clusters, and each closed cluster is scrubbed on its own
 * stretch of text (overlap resolution only ever needs one cluster), while the text before it
 * is passed through. Memory holds the text between the last flush and the scan position.
 */
import type { Analyzer } from '../detect/analyzer.js';
import { analyzeStream, type StreamOptions } from '../detect/stream.js';
import type { AnalyzeOptions, Finding } from '../detect/types.js';
import { scrub, type ScrubOptions } from './scrub.js';

export interface StreamScrubStats {
  findings: number;
  replaced: number;
}

export async function* scrubStream(
  source: AsyncIterable<string>,
  analyzer: Analyzer,
  analyzeOpts: AnalyzeOptions,
  scrubOpts: ScrubOptions,
  streamOpts: StreamOptions = {},
  stats: StreamScrubStats = { findings: 0, replaced: 0 },
): AsyncGenerator<string> {
  let buf = ''; // text from global offset `flushed` on
  let flushed = 0;
  let cluster: Finding[] = [];
  let clusterEnd = 0;

  async function* tee(): AsyncGenerator<string> {
    for await (const s of source) {
      buf += s;
      yield s;
    }
  }

  const closeCluster = (): string => {
    const start = cluster[0]!.start;
    const head = buf.slice(0, start - flushed);
    const part = buf.slice(start - flushed, clusterEnd - flushed);
    const r = scrub(part, cluster.map((f) => ({ ...f, start: f.start - start, end: f.end - start })), scrubOpts);
    stats.replaced += r.items.length;
    buf = buf.slice(clusterEnd - flushed);
    flushed = clusterEnd;
    cluster = [];
    return head + r.text;
  };

  for await (const f of analyzeStream(tee(), analyzer, analyzeOpts, streamOpts)) {
    stats.findings++;
    if (cluster.length > 0 && f.start >= clusterEnd) yield closeCluster();
    if (cluster.length === 0) clusterEnd = f.end;
    cluster.push(f);
    clusterEnd = Math.max(clusterEnd, f.end);
  }
  if (cluster.length > 0) yield closeCluster();
  if (buf) yield buf;
}
