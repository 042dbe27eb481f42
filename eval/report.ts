/** Console rendering of an evaluation: the per-entity table, hard negatives and a few examples. */
import type { Sample } from './corpus/index.js';
import type { EvalRun } from './run.js';
import type { ErrorRecord, Rates } from './score.js';

export interface ReportOptions {
  seed: number | string;
  minScore: number;
  supported: readonly string[];
  /** Examples per section. */
  examples: number;
  /** Print values as they are (the corpus is synthetic); otherwise only their shape. */
  showValues: boolean;
}

const pct = (x: number | null) => (x === null ? '     —' : `${(100 * x).toFixed(1).padStart(5)}%`);
const num = (n: number, w = 6) => String(n).padStart(w);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The shape of a value: digits → #, letters → x, everything else kept. */
export function mask(value: string): string {
  return value.replace(/\p{N}/gu, '#').replace(/\p{L}/gu, 'x');
}

function snippet(text: string, start: number, end: number, show: boolean): string {
  const before = text.slice(Math.max(0, start - 32), start);
  const after = text.slice(end, end + 32);
  const value = text.slice(start, end);
  const flat = (s: string) => s.replace(/\n/g, '⏎');
  return `${start > 32 ? '…' : ''}${flat(before)}⟦${flat(show ? value : mask(value))}⟧${flat(after)}${end + 32 < text.length ? '…' : ''}`;
}

function row(name: string, r: Rates): string {
  return `${name.padEnd(24)}${num(r.labels)}${num(r.tp)}${num(r.fpPositive, 8)}${num(r.fpNegative, 8)}${num(r.fn)}  ${pct(r.precision)}  ${pct(r.recall)}  ${pct(r.f1)}  ${pct(r.exactRate)}`;
}

function top(record: Record<string, number>, n: number): string {
  return Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function renderReport(run: EvalRun, samples: readonly Sample[], o: ReportOptions): string {
  const { score } = run;
  const byId = new Map(samples.map((s) => [s.id, s]));
  const positives = samples.filter((s) => s.kind === 'positive').length;
  const supported = new Set(o.supported);
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const example = (e: ErrorRecord) => {
    const s = byId.get(e.sample)!;
    const who = e.kind === 'fp' ? `${e.entity} ${e.detector ?? ''} ${e.score?.toFixed(2) ?? ''} (${e.detail})` : `${e.entity} [${e.detail}]`;
    return `    ${e.sample} ${e.category.padEnd(18)} ${who}: ${snippet(s.text, e.start, e.end, o.showValues)}`;
  };

  line(`PII/PHI detection eval — seed ${o.seed}, ${positives} texts with entities, ${samples.length - positives} hard negatives, min score ${o.minScore}`);
  line(`analyzer entities: ${o.supported.length > 0 ? o.supported.join(', ') : '(none)'}`);
  line();
  line(`${'entity'.padEnd(24)}${'labels'.padStart(6)}${'TP'.padStart(6)}${'FP(pos)'.padStart(8)}${'FP(neg)'.padStart(8)}${'FN'.padStart(6)}  precision    recall        F1   exact`);
  for (const [e, r] of Object.entries(score.entities)) line(row(supported.has(e) ? e : `${e} *`, r));
  line('-'.repeat(100));
  if (score.overall.supported) line(row('overall (supported)', score.overall.supported));
  line(row('overall (all labels)', score.overall.all));
  const unsupported = Object.keys(score.entities).filter((e) => !supported.has(e));
  if (unsupported.length > 0) line(`* labelled in the corpus, not reported by the analyzer: ${unsupported.join(', ')}`);
  const unlabelled = o.supported.filter((e) => !score.entities[e] || score.entities[e]!.labels === 0);
  if (unlabelled.length > 0) line(`reported by the analyzer, never labelled here (recall not measured, false findings counted): ${unlabelled.join(', ')}`);
  line('TP: same entity, overlapping span. exact: TP with the identical span. Precision counts false findings from both text kinds.');
  if (score.ignored > 0) line(`${score.ignored} findings fell on don't-care spans (non-birth dates, times, expiry dates) and were not counted.`);

  const n = score.negatives;
  line();
  line(`Hard negatives: ${n.texts} texts, ${plural(n.falseFindings, 'false finding')} = ${n.per100Texts.toFixed(1)} per 100 texts (checksum/format entities: ${n.checksumPer100Texts.toFixed(1)} per 100); ${plural(n.textsWithFindings, 'text')} with at least one.`);
  if (n.falseFindings > 0) {
    line(`  by entity:   ${top(n.byEntity, 8)}`);
    line(`  by category: ${top(n.byCategory, 8)}`);
    line(`  by detector: ${top(n.byDetector, 8)}`);
    const worst = Object.entries(n.byEntity).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([e]) => e);
    line('  examples:');
    for (const e of worst) {
      for (const x of score.errors.filter((r) => r.kind === 'fp' && r.entity === e && r.sample.startsWith('n')).slice(0, Math.max(1, Math.ceil(o.examples / 2)))) line(example(x));
    }
  }

  const weakFormats: Array<[string, number, number]> = [];
  for (const [e, fs] of Object.entries(score.formats)) {
    if (!supported.has(e)) continue;
    for (const [f, c] of Object.entries(fs)) if (c.labels >= 10) weakFormats.push([`${e} ${f}`, c.tp / c.labels, c.labels]);
  }
  weakFormats.sort((a, b) => a[1] - b[1]);
  if (weakFormats.length > 0) {
    line();
    line('Lowest recall by written format (supported entities, ≥10 labels):');
    for (const [name, r, l] of weakFormats.slice(0, 10)) line(`  ${name.padEnd(40)} ${pct(r)} of ${l}`);
  }

  const fnSupported = score.errors.filter((r) => r.kind === 'fn' && supported.has(r.entity));
  if (fnSupported.length > 0) {
    line();
    line('Missed (supported entities):');
    for (const x of spread(fnSupported, o.examples)) line(example(x));
  }
  const fpPositive = score.errors.filter((r) => r.kind === 'fp' && r.sample.startsWith('p'));
  if (fpPositive.length > 0) {
    line();
    line('False findings in texts with entities:');
    for (const x of spread(fpPositive, o.examples)) line(example(x));
  }

  line();
  line(`genre recall: ${Object.entries(score.genres).filter(([, r]) => r.labels > 0).map(([g, r]) => `${g} ${pct(r.recall).trim()}`).join(', ')}`);
  const t = run.timing;
  line(`analyzer: ${t.texts} texts, ${t.chars} chars in ${t.totalMs.toFixed(0)} ms (${t.msPerText.toFixed(3)} ms/text, ${(t.charsPerMs * 1000 / 1e6).toFixed(2)} MB/s)`);
  if (run.analyzerErrors.length > 0) line(`analyzer threw on ${run.analyzerErrors.length} texts, e.g. ${run.analyzerErrors[0]!.sample}: ${run.analyzerErrors[0]!.message}`);
  return out.join('\n');
}

/** Up to n records, one entity at a time, so one noisy entity does not fill the list. */
function spread(records: readonly ErrorRecord[], n: number): ErrorRecord[] {
  const byEntity = new Map<string, ErrorRecord[]>();
  for (const r of records) (byEntity.get(r.entity) ?? byEntity.set(r.entity, []).get(r.entity)!).push(r);
  const out: ErrorRecord[] = [];
  for (let i = 0; out.length < n; i++) {
    let added = false;
    for (const list of byEntity.values()) {
      if (list[i] && out.length < n) {
        out.push(list[i]!);
        added = true;
      }
    }
    if (!added) break;
  }
  return out;
}
