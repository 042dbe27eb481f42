/**
 * Dotted numbers right after "version", "build", "release", "firmware"… (or after a '/', as in
 * `Chrome/124.0.6227.118`) are version numbers, not IPv4 addresses or d.m.y dates.
 */

const VERSION_WORDS = new Set(['version', 'versions', 'ver', 'v', 'build', 'release', 'firmware', 'fw', 'rev', 'revision', 'patch', 'update', 'sdk', 'api', 'kernel', 'os']);

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Whether the token at `start` follows a version word (skipping spaces, ':' and '#') or a '/'. */
export function followsVersionWord(text: string, start: number): boolean {
  if (text.charCodeAt(start - 1) === 47) return true;
  let e = start;
  while (e > 0 && start - e < 4) {
    const c = text.charCodeAt(e - 1);
    if (c === 32 || c === 58 || c === 35 || c === 9) e--;
    else break;
  }
  let s = e;
  while (s > 0 && e - s < 10 && isLetter(text.charCodeAt(s - 1))) s--;
  return s < e && VERSION_WORDS.has(text.slice(s, e).toLowerCase());
}
