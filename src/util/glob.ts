/**
 * Destination / name globs: `*` matches within one path segment, `**` across segments, `?` one
 * character. Everything else is literal. The result is an RE2-syntax pattern (linear time).
 */
export function globToRegexSource(glob: string): string {
  let out = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else {
      out += /[\\^$.|+()[\]{}]/.test(c) ? `\\${c}` : c;
    }
  }
  return `${out}$`;
}

export function isGlob(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
