import type { ScanInput } from './types.js';

const DIGIT_RUN = /\d[\d \t\-./:()+,]*/g;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11;

/**
 * Wraps text for scanning. `digitWindows()` finds runs of digits (with the separators numbers
 * use), widens each by a margin of context, snaps both ends to whitespace, and merges overlaps —
 * once per scan. Because a window starts and ends at whitespace (or the text's ends), `\b` and
 * look-arounds behave inside a window exactly as they do in the whole text.
 *
 * Linear even without whitespace: the backward snap never passes the previous window's end, and
 * the forward snap reuses the last whitespace it found, so every character is visited O(1) times.
 */
export function scanInput(text: string, margin = 32): ScanInput {
  let windows: Array<[number, number]> | undefined;
  return {
    text,
    digitWindows() {
      if (windows) return windows;
      windows = [];
      const n = text.length;
      let nextSpace = -1; // the first whitespace at or after position `scannedTo`, or n
      let scannedTo = 0;
      DIGIT_RUN.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = DIGIT_RUN.exec(text))) {
        const last = windows[windows.length - 1];
        const floor = last ? last[1] : 0;
        let s = Math.max(floor, m.index - margin);
        while (s > floor && !isSpace(text.charCodeAt(s - 1))) s--;
        let e = Math.min(n, m.index + m[0].length + margin);
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
      return windows;
    },
  };
}
