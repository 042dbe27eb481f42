/**
 * Debian version ordering, as dpkg implements it (lib/dpkg/version.c: parseversion, verrevcmp):
 * `[epoch:]upstream[-revision]`; epochs compare numerically; upstream and revision compare
 * piecewise — non-digit runs by character where `~` sorts before everything (even the end of
 * the string) and letters before other symbols, digit runs numerically.
 */

export interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Parses like dpkg; returns undefined where dpkg would reject the version. */
export function parseDebVersion(s: string): DebVersion | undefined {
  const v = s.trim();
  if (v === '' || /\s/.test(v)) return undefined;
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon !== -1) {
    const e = v.slice(0, colon);
    if (!/^\d+$/.test(e)) return undefined;
    epoch = Number(e);
    if (!Number.isSafeInteger(epoch) || epoch > 2147483647) return undefined;
    rest = v.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen === -1 ? rest : rest.slice(0, hyphen);
  const revision = hyphen === -1 ? '' : rest.slice(hyphen + 1);
  if (upstream === '' || (hyphen !== -1 && revision === '')) return undefined;
  if (!/^[0-9]/.test(upstream)) return undefined;
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream) || !/^[A-Za-z0-9.+~]*$/.test(revision)) return undefined;
  return { epoch, upstream, revision };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** dpkg's order(): digits and the end sort as 0, `~` as -1, letters by code, other symbols after letters. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1; // '~'
  return c + 256;
}

/** verrevcmp: compares an upstream version or a revision. */
export function compareVersionPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a.charCodeAt(i));
      const bc = order(b.charCodeAt(j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export function compareDebVersions(a: DebVersion, b: DebVersion): number {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch ? 1 : -1;
  return Math.sign(compareVersionPart(a.upstream, b.upstream)) || Math.sign(compareVersionPart(a.revision, b.revision));
}

/** Compares two version strings; throws on a version dpkg would not accept. */
export function compareDeb(a: string, b: string): number {
  const pa = parseDebVersion(a);
  const pb = parseDebVersion(b);
  if (!pa) throw new Error(`not a Debian version: ${JSON.stringify(a)}`);
  if (!pb) throw new Error(`not a Debian version: ${JSON.stringify(b)}`);
  return compareDebVersions(pa, pb);
}
