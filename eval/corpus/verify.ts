/** Self-checks on a generated corpus; the harness refuses to score a corpus that fails them. */
import { VALIDATORS } from '../checks.js';
import type { Sample } from './index.js';

export function verifyCorpus(samples: readonly Sample[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const s of samples) {
    if (ids.has(s.id)) problems.push(`${s.id}: duplicate id`);
    ids.add(s.id);
    const required = s.labels.filter((l) => !l.optional);
    if (s.kind === 'negative' && required.length > 0) problems.push(`${s.id}: hard negative holds ${required[0]!.entity}`);
    if (s.kind === 'positive' && required.length === 0) problems.push(`${s.id}: positive text without a label`);
    for (const l of s.labels) {
      if (!(l.start >= 0 && l.start < l.end && l.end <= s.text.length)) problems.push(`${s.id}: bad span [${l.start}, ${l.end})`);
      else if (s.text.slice(l.start, l.end) !== l.value) problems.push(`${s.id}: span [${l.start}, ${l.end}) is not ${l.entity} value`);
      const valid = VALIDATORS[l.entity];
      if (valid && !l.optional && !valid(l.value)) problems.push(`${s.id}: ${l.entity} fails its checksum`);
    }
    // Labels may nest (a ZIP code inside an address) but never partly overlap or repeat an entity.
    s.labels.forEach((a, i) => {
      for (const b of s.labels.slice(i + 1)) {
        if (a.start >= b.end || b.start >= a.end) continue;
        const nested = (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
        if (!nested || a.entity === b.entity) problems.push(`${s.id}: labels ${a.entity} and ${b.entity} overlap at ${Math.max(a.start, b.start)}`);
      }
    });
  }
  return problems;
}
