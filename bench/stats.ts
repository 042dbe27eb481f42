/** Timing helpers for benchmarks: per-call samples, then median and tail percentiles. */
export interface Summary {
  n: number;
  medianMicros: number;
  p90Micros: number;
  p99Micros: number;
  meanMicros: number;
}

export function summarize(samplesNs: Float64Array | number[]): Summary {
  const s = Float64Array.from(samplesNs).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]! / 1000;
  let sum = 0;
  for (const x of s) sum += x;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, medianMicros: r(at(0.5)), p90Micros: r(at(0.9)), p99Micros: r(at(0.99)), meanMicros: r(sum / s.length / 1000) };
}

/** Times `fn(i)` once per sample after a warm-up; returns per-call nanoseconds. */
export function sample(n: number, fn: (i: number) => unknown, warmup = Math.min(n, 5000)): Float64Array {
  for (let i = 0; i < warmup; i++) fn(i);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - t);
  }
  return out;
}

/** Deterministic pseudo-random numbers (LCG), so every run times the same requests. */
export function rng(seed = 42): <T>(xs: readonly T[]) => T {
  let s = seed;
  return <T>(xs: readonly T[]): T => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    // The low bits of this generator cycle quickly: index with the high ones.
    return xs[Math.floor((s / 2 ** 31) * xs.length)]!;
  };
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
