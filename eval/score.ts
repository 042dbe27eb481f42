/**
 * Scores findings against labels. A finding is a true positive when it has the same entity as a
 * label and overlaps it; labels and findings pair one-to-one, largest overlap first. A finding
 * over a don't-care label of its entity is ignored. Every other finding is false, and says why:
 * it duplicates an already matched label, overlaps a label of another entity, or is spurious.
 */
import type { Finding } from '../src/guardrails/detect/types.js';
import type { Label, Sample } from './corpus/index.js';

export type FalseReason = 'duplicate' | 'overlaps-other-entity' | 'spurious';

export interface Match {
  finding: Finding;
  label: Label;
  exact: boolean;
}

export interface FalseFinding {
  finding: Finding;
  reason: FalseReason;
  /** Segment category the finding starts in (filler, mention:X, or a hard-negative category). */
  category: string;
}

export interface SampleScore {
  matches: Match[];
  falsePositives: FalseFinding[];
  misses: Label[];
  ignored: Finding[];
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.min(a.end, b.end) - Math.max(a.start, b.start);

export function scoreSample(sample: Pick<Sample, 'labels' | 'segments'>, findings: readonly Finding[]): SampleScore {
  const required = sample.labels.filter((l) => !l.optional);
  const pairs: Array<{ f: number; l: number; ov: number; drift: number }> = [];
  findings.forEach((f, fi) => {
    required.forEach((l, li) => {
      const ov = overlap(f, l);
      if (l.entity === f.entity && ov > 0) pairs.push({ f: fi, l: li, ov, drift: Math.abs(f.start - l.start) + Math.abs(f.end - l.end) });
    });
  });
  pairs.sort((a, b) => b.ov - a.ov || a.drift - b.drift || a.f - b.f);
  const fTaken = new Set<number>();
  const lTaken = new Set<number>();
  const matches: Match[] = [];
  for (const p of pairs) {
    if (fTaken.has(p.f) || lTaken.has(p.l)) continue;
    fTaken.add(p.f);
    lTaken.add(p.l);
    const finding = findings[p.f]!;
    const label = required[p.l]!;
    matches.push({ finding, label, exact: finding.start === label.start && finding.end === label.end });
  }
  const falsePositives: FalseFinding[] = [];
  const ignored: Finding[] = [];
  findings.forEach((f, fi) => {
    if (fTaken.has(fi)) return;
    const over = sample.labels.filter((l) => overlap(f, l) > 0);
    if (over.some((l) => l.optional && l.entity === f.entity)) {
      ignored.push(f);
      return;
    }
    const reason: FalseReason = over.some((l) => l.entity === f.entity) ? 'duplicate' : over.length > 0 ? 'overlaps-other-entity' : 'spurious';
    const seg = sample.segments.find((s) => f.start >= s.start && f.start < s.end);
    falsePositives.push({ finding: f, reason, category: seg?.category ?? 'between-segments' });
  });
  const misses = required.filter((_, li) => !lTaken.has(li));
  matches.sort((a, b) => a.label.start - b.label.start);
  return { matches, falsePositives, misses, ignored };
}

export interface Counts {
  /** Labels (required) of this entity. */
  labels: number;
  tp: number;
  /** False findings in positive texts and in hard negatives. */
  fpPositive: number;
  fpNegative: number;
  fn: number;
  /** True positives whose span equals the label's exactly. */
  exact: number;
}

export interface Rates extends Counts {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** exact / tp. */
  exactRate: number | null;
}

export interface ErrorRecord {
  sample: string;
  kind: 'fp' | 'fn';
  entity: string;
  start: number;
  end: number;
  value: string;
  /** For fp: why; for fn: the label's format. */
  detail: string;
  category: string;
  score?: number;
  detector?: string;
}

export interface NegativeSummary {
  texts: number;
  textsWithFindings: number;
  falseFindings: number;
  per100Texts: number;
  /** The same, counting only checksum/format entities. */
  checksumFalseFindings: number;
  checksumPer100Texts: number;
  byEntity: Record<string, number>;
  byCategory: Record<string, number>;
  byDetector: Record<string, number>;
}

export interface Score {
  entities: Record<string, Rates>;
  /** Micro averages: over every entity, and over the entities the analyzer supports. */
  overall: { all: Rates; supported?: Rates };
  /** Per entity, per written format: labels, tp, exact. */
  formats: Record<string, Record<string, { labels: number; tp: number; exact: number }>>;
  genres: Record<string, Rates>;
  negatives: NegativeSummary;
  /** Findings on don't-care spans, not counted either way. */
  ignored: number;
  errors: ErrorRecord[];
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const zero = (): Counts => ({ labels: 0, tp: 0, fpPositive: 0, fpNegative: 0, fn: 0, exact: 0 });

export function rates(c: Counts): Rates {
  const precision = ratio(c.tp, c.tp + c.fpPositive + c.fpNegative);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1, exactRate: ratio(c.exact, c.tp) };
}

function add(into: Counts, c: Counts): void {
  into.labels += c.labels;
  into.tp += c.tp;
  into.fpPositive += c.fpPositive;
  into.fpNegative += c.fpNegative;
  into.fn += c.fn;
  into.exact += c.exact;
}

export interface ScoreOptions {
  /** Entity types the analyzer reports; enables the `supported` overall. */
  supported?: readonly string[];
  /** Entity types counted in the checksum/format hard-negative rate. */
  checksumEntities?: readonly string[];
}

export function scoreCorpus(results: ReadonlyArray<{ sample: Sample; findings: readonly Finding[] }>, opts: ScoreOptions = {}): Score {
  const byEntity = new Map<string, Counts>();
  const byGenre = new Map<string, Counts>();
  const get = (m: Map<string, Counts>, k: string) => m.get(k) ?? (m.set(k, zero()), m.get(k)!);
  const formats: Score['formats'] = {};
  const errors: ErrorRecord[] = [];
  const checksum = new Set(opts.checksumEntities ?? []);
  const neg: NegativeSummary = { texts: 0, textsWithFindings: 0, falseFindings: 0, per100Texts: 0, checksumFalseFindings: 0, checksumPer100Texts: 0, byEntity: {}, byCategory: {}, byDetector: {} };
  let ignored = 0;

  for (const { sample, findings } of results) {
    const s = scoreSample(sample, findings);
    const negative = sample.kind === 'negative';
    const genre = get(byGenre, sample.genre);
    ignored += s.ignored.length;
    for (const m of s.matches) {
      for (const c of [get(byEntity, m.label.entity), genre]) {
        c.labels++;
        c.tp++;
        if (m.exact) c.exact++;
      }
      const f = ((formats[m.label.entity] ??= {})[m.label.format] ??= { labels: 0, tp: 0, exact: 0 });
      f.labels++;
      f.tp++;
      if (m.exact) f.exact++;
    }
    for (const l of s.misses) {
      for (const c of [get(byEntity, l.entity), genre]) {
        c.labels++;
        c.fn++;
      }
      ((formats[l.entity] ??= {})[l.format] ??= { labels: 0, tp: 0, exact: 0 }).labels++;
      const seg = sample.segments.find((g) => l.start >= g.start && l.start < g.end);
      errors.push({ sample: sample.id, kind: 'fn', entity: l.entity, start: l.start, end: l.end, value: l.value, detail: l.format, category: seg?.category ?? 'between-segments' });
    }
    for (const fp of s.falsePositives) {
      const f = fp.finding;
      for (const c of [get(byEntity, f.entity), genre]) {
        if (negative) c.fpNegative++;
        else c.fpPositive++;
      }
      errors.push({ sample: sample.id, kind: 'fp', entity: f.entity, start: f.start, end: f.end, value: sample.text.slice(f.start, f.end), detail: fp.reason, category: fp.category, score: f.score, detector: f.detector });
      if (negative) {
        neg.falseFindings++;
        if (checksum.has(f.entity)) neg.checksumFalseFindings++;
        neg.byEntity[f.entity] = (neg.byEntity[f.entity] ?? 0) + 1;
        neg.byCategory[fp.category] = (neg.byCategory[fp.category] ?? 0) + 1;
        neg.byDetector[f.detector] = (neg.byDetector[f.detector] ?? 0) + 1;
      }
    }
    if (negative) {
      neg.texts++;
      if (s.falsePositives.length > 0) neg.textsWithFindings++;
    }
  }
  neg.per100Texts = neg.texts === 0 ? 0 : (100 * neg.falseFindings) / neg.texts;
  neg.checksumPer100Texts = neg.texts === 0 ? 0 : (100 * neg.checksumFalseFindings) / neg.texts;

  const entities: Record<string, Rates> = {};
  const all = zero();
  const sup = zero();
  const supported = opts.supported ? new Set(opts.supported) : undefined;
  for (const [e, c] of [...byEntity].sort(([a], [b]) => a.localeCompare(b))) {
    entities[e] = rates(c);
    add(all, c);
    // Labels of entities the analyzer cannot report say nothing about its quality; its findings always count.
    if (supported?.has(e)) add(sup, c);
  }
  const genres: Record<string, Rates> = {};
  for (const [g, c] of [...byGenre].sort(([a], [b]) => a.localeCompare(b))) genres[g] = rates(c);
  const overall: Score['overall'] = { all: rates(all) };
  if (supported) overall.supported = rates(sup);
  return { entities, overall, formats, genres, negatives: neg, ignored, errors };
}
