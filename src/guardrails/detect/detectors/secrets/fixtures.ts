/**
 * Helpers for the secret detectors' tests: deterministic fake tokens and one-line scans. Every
 * token the tests use is built here from a seeded generator — real-shaped, never real.
 */
import { Analyzer } from '../../analyzer.js';
import { scanInput } from '../../scan-input.js';
import type { AnalyzeOptions, Detector, Finding } from '../../types.js';

export const DIGITS = '0123456789';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const ALNUM = DIGITS + UPPER + LOWER;
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const BASE64 = UPPER + LOWER + DIGITS + '+/';
export const HEX = '0123456789abcdef';

/** A seeded generator of random strings (mulberry32), so failures reproduce. */
export function fakes(seed: number): (n: number, alphabet?: string) => string {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return (n, alphabet = ALNUM) => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  };
}

/** Base64 of `n` pseudo-random bytes. */
export function fakeBase64Bytes(n: number, seed: number): string {
  const hex = fakes(seed)(n * 2, HEX);
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Raw findings of one detector (no context, no threshold), sorted by position. */
export function raw(detector: Detector, text: string): Finding[] {
  return detector.detect(scanInput(text)).sort((a, b) => a.start - b.start);
}

/** Findings as the analyzer reports them (context words, dedupe, threshold). */
export function analyze(detectors: readonly Detector[], text: string, opts: AnalyzeOptions = {}): Finding[] {
  return new Analyzer(detectors).analyze(text, opts);
}

/** The text each finding covers, for readable assertions. */
export function spans(text: string, fs: readonly Finding[]): string[] {
  return fs.map((f) => text.slice(f.start, f.end));
}

/** A PEM block of `bytes` random bytes in 64-character lines, joined by `nl` (`\n`, or `\\n` inside JSON). */
export function fakePem(label: string, bytes: number, seed: number, nl = '\n'): string {
  const body = fakeBase64Bytes(bytes, seed).match(/.{1,64}/g)!.join(nl);
  return `-----BEGIN ${label}-----${nl}${body}${nl}-----END ${label}-----`;
}
