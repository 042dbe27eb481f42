/**
 * Literal-anchored scanning. `indexOf` finds a fixed prefix tens of times faster than a regex
 * pass, so each secret family looks for its prefixes first and only then runs a sticky regex
 * at the hit — prose without the prefixes costs almost nothing.
 */

/** Calls `hit(index)` for every occurrence of `literal` in `text`, left to right. */
export function forEachLiteral(text: string, literal: string, hit: (index: number) => void): void {
  let i = text.indexOf(literal);
  while (i !== -1) {
    hit(i);
    i = text.indexOf(literal, i + 1);
  }
}

/** Runs a sticky regex at `at`; null unless it matches starting exactly there. */
export function matchAt(regex: RegExp, text: string, at: number): RegExpExecArray | null {
  if (!regex.sticky) throw new Error(`/${regex.source}/ needs the y flag`);
  regex.lastIndex = at;
  return regex.exec(text);
}

/** ASCII letters, digits and `_`: the characters of `\w`. */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Characters that continue a token (base64url and `\w`): a match may not start right after one. */
export function isTokenCode(c: number): boolean {
  return isWordCode(c) || c === 45 /* - */;
}

/** True when the character before `i` does not glue the match onto a longer token. */
export function startsToken(text: string, i: number): boolean {
  return i === 0 || !isTokenCode(text.charCodeAt(i - 1));
}
