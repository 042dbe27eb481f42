import type { DigitRuns, ScanInput } from './types.js';

/** A number: a digit, then digits and the separators numbers are written with. */
const NUMBER = /\d[\d \t\-./:()+,]*/g;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Digit runs closer together than this on average (`1-2-3-…`, base64, a table of small numbers):
 * visiting each costs more than one regex pass over the text, which finds the same matches — so
 * they are not listed at all.
 */
export const DENSE_RUN_SPACING = 20;

/**
 * Wraps text for scanning, with indexes built on first use, once per scan:
 *
 * `digitWindows()` finds the numbers (runs of digits with the separators numbers use), widens each
 * by a margin of context, snaps both ends to whitespace, and merges overlaps. Because a window
 * starts and ends at whitespace (or the text's ends), `\b` and look-arounds behave inside a window
 * exactly as they do in the whole text.
 *
 * `digitRuns()` lists the maximal runs of digits inside those numbers, for detectors that look only
 * where a number can start (digit-runs.ts) — unless there are too many to be worth it.
 */
export function scanInput(text: string, margin = 32): ScanInput {
  let numbers: Numbers | undefined;
  let runs: DigitRuns | null | undefined;
  return {
    text,
    digitWindows() {
      numbers ??= findNumbers(text, margin);
      return numbers.windows;
    },
    digitRuns() {
      if (runs === undefined) {
        numbers ??= findNumbers(text, margin);
        runs = listRuns(text, numbers);
      }
      return runs ?? undefined;
    },
  };
}

interface Numbers {
  /** Span i of a number: [start[i], end[i]). */
  count: number;
  start: Int32Array;
  end: Int32Array;
  windows: Array<[number, number]>;
}

/**
 * The numbers of `text` and its digit windows, in one regex pass.
 *
 * Linear even without whitespace: the backward snap never passes the previous window's end, and
 * the forward snap reuses the last whitespace it found, so every character is visited O(1) times.
 */
function findNumbers(text: string, margin: number): Numbers {
  const windows: Array<[number, number]> = [];
  let starts: Int32Array = new Int32Array(64);
  let ends: Int32Array = new Int32Array(64);
  let count = 0;
  const n = text.length;
  let nextSpace = -1; // the first whitespace at or after position `scannedTo`, or n
  let scannedTo = 0;
  NUMBER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NUMBER.exec(text))) {
    const numberEnd = m.index + m[0].length;
    if (count === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
    }
    starts[count] = m.index;
    ends[count++] = numberEnd;
    const last = windows[windows.length - 1];
    const floor = last ? last[1] : 0;
    let s = Math.max(floor, m.index - margin);
    while (s > floor && !isSpace(text.charCodeAt(s - 1))) s--;
    let e = Math.min(n, numberEnd + margin);
    if (e > scannedTo || nextSpace < e) {
      let i = Math.max(e, scannedTo);
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      nextSpace = i;
      scannedTo = i;
    }
    e = Math.max(e, nextSpace);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else windows.push([s, e]);
  }
  return { count, start: starts, end: ends, windows };
}

/** The digit runs of the numbers, or null as soon as they prove denser than DENSE_RUN_SPACING. */
function listRuns(text: string, numbers: Numbers): DigitRuns | null {
  const limit = Math.floor(text.length / DENSE_RUN_SPACING);
  if (numbers.count > limit) return null;
  let starts: Int32Array = new Int32Array(Math.max(16, numbers.count));
  let ends: Int32Array = new Int32Array(starts.length);
  let count = 0;
  for (let k = 0; k < numbers.count; k++) {
    const numberEnd = numbers.end[k]!;
    for (let i = numbers.start[k]!; i < numberEnd; ) {
      if (!isDigit(text.charCodeAt(i))) {
        i++;
        continue;
      }
      if (count === limit) return null;
      if (count === starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      starts[count] = i++;
      while (i < numberEnd && isDigit(text.charCodeAt(i))) i++;
      ends[count++] = i;
    }
  }
  return { count, start: starts, end: ends };
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
