/** Small pure helpers for number-shaped identifiers. */

/** The ASCII digits of `value`, in order (separators dropped). */
export function digitsOf(value: string): string {
  let from = 0; // the digits before `from` are already in `out` (copied a run at a time, not a character)
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (i > from) out += value.slice(from, i);
    from = i + 1;
  }
  return from === 0 ? value : out + value.slice(from);
}

/** The Luhn (mod 10) check over a string of digits: doubling every second digit from the right. */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether `c` (a char code) is an ASCII word character, as `\b` sees it. */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Whether `text[from, from + n)` is all ASCII digits. */
export function digitsAt(text: string, from: number, n: number): boolean {
  if (from + n > text.length) return false;
  for (let i = from; i < from + n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Length of the run of ASCII letters in `text` from `from`. */
export function lettersAt(text: string, from: number): number {
  let i = from;
  while (i < text.length && ((text.charCodeAt(i) | 0x20) >= 97 && (text.charCodeAt(i) | 0x20) <= 122)) i++;
  return i - from;
}

/** Length of the run of ASCII digits in `text` from `from`. */
export function digitRunAt(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i - from;
}

/** Word characters and `-`: the characters of identifiers such as `A-99812` or `U1234567-01`. */
export const isIdChar = (c: number): boolean => isWordChar(c) || c === 45;
