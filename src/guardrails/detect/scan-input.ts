import type { ScanInput } from './types.js';

const DIGIT_RUN = /\d[\d \t\-./:()+,]*/g;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11;

/**
 * Wraps text for scanning. `digitWindows()` finds runs of digits (with the separators numbers
 * use), widens each by a margin of context, snaps both ends to whitespace, and merges overlaps —
 * once per scan. Because a window starts and ends at whitespace (or the text's ends), `\b` and
 * look-arounds behave inside a window exactly as they do in the whole text.
 */
export function scanInput(text: string, margin = 32): ScanInput {
  let windows: Array<[number, number]> | undefined;
  return {
    text,
    digitWindows() {
      if (windows) return windows;
      windows = [];
      DIGIT_RUN.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = DIGIT_RUN.exec(text))) {
        let s = Math.max(0, m.index - margin);
        let e = Math.min(text.length, m.index + m[0].length + margin);
        while (s > 0 && !isSpace(text.charCodeAt(s - 1))) s--;
        while (e < text.length && !isSpace(text.charCodeAt(e))) e++;
        const last = windows[windows.length - 1];
        if (last && s <= last[1]) last[1] = Math.max(last[1], e);
        else windows.push([s, e]);
      }
      return windows;
    },
  };
}
