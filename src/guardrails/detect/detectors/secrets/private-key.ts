/**
 * PEM private keys: `-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`
 * through the matching END line, as one finding. The body may be laid out as lines, collapsed
 * onto one line, or JSON-escaped (`\n`). A BEGIN without its END (a truncated paste) is still
 * reported — over the base64 that follows — at a lower score. A header with no key material
 * after it (prose about keys, a redacted `...` block) is only a mention and is not reported.
 */
import type { Detector, Finding, ScanInput } from '../../types.js';
import { forEachLiteral } from './scan.js';

export const COMPLETE_SCORE = 1;
export const TRUNCATED_SCORE = 0.7;
/** Base64 characters a real key body has at the least (a P-256 key is ~160). */
const MIN_BODY = 64;
const MAX_BLOCK = 64 * 1024;

const HEADER = /^-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----$/;

const isB64 = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Number of base64 characters in a block body, ignoring layout and `\n` escapes. */
export function base64Count(body: string): number {
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 92) i++; // `\n`, `\r` escapes
    else if (isB64(c)) n++;
  }
  return n;
}

/** End of the base64 body after a header whose END is missing: lines of base64 and `Name: value` headers. */
export function truncatedBodyEnd(text: string, from: number): number {
  let i = from;
  let end = from;
  let inBody = false; // headers come before the base64, never after it
  const limit = Math.min(text.length, from + MAX_BLOCK);
  while (i < limit) {
    // Separators between lines: whitespace and `\n` escapes.
    while (i < limit && (isSpace(text.charCodeAt(i)) || (text.charCodeAt(i) === 92 && (text[i + 1] === 'n' || text[i + 1] === 'r')))) i += text.charCodeAt(i) === 92 ? 2 : 1;
    const start = i;
    let h = i;
    while (h < limit && h - i < 20 && (isLetter(text.charCodeAt(h)) || text.charCodeAt(h) === 45)) h++;
    if (!inBody && h > i && text.charCodeAt(h) === 58 /* : */) {
      // An encryption header (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`): skip to the end of its line.
      const line = text.slice(h, h + 120);
      const nl = line.indexOf('\n');
      const esc = line.indexOf('\\n');
      if (nl === -1 && esc === -1) break;
      i = h + (nl === -1 ? esc : esc === -1 ? nl : Math.min(nl, esc));
      end = i;
      continue;
    }
    while (i < limit && isB64(text.charCodeAt(i))) i++;
    if (i === start) break;
    const c = text.charCodeAt(i);
    // A short word glued to punctuation (`Thanks,`) is prose, not the key's last line.
    if (i < limit && !isSpace(c) && c !== 92) break;
    end = i;
    inBody = true;
  }
  return end;
}

function finding(start: number, end: number, score: number): Finding {
  return { entity: 'PRIVATE_KEY', start, end, score, detector: 'private-key' };
}

export const privateKeyDetector: Detector = {
  id: 'private-key',
  entities: ['PRIVATE_KEY'],
  // The header is the evidence; words around it add nothing.
  context: [],
  regexes: [HEADER],
  detect(input: ScanInput): Finding[] {
    const { text } = input;
    const out: Finding[] = [];
    let covered = 0;
    // Next END and BEGIN markers, cached: each search resumes where the last one ended, so many
    // headers without an END cost one pass, not one pass each.
    let endAt = -2;
    let nextBegin = -2;
    // `BEGIN ` starts with a rare capital; the dashes before it are checked after.
    forEachLiteral(text, 'BEGIN ', (hit) => {
      const at = hit - 5;
      if (at < covered || !text.startsWith('-----', at)) return;
      const close = text.slice(at + 11, at + 60).indexOf('-----');
      if (close === -1) return;
      const header = text.slice(at, at + 11 + close + 5);
      if (!HEADER.test(header)) return;
      const label = header.slice(11, -5); // `RSA PRIVATE KEY`
      const bodyStart = at + header.length;
      if (endAt !== -1 && endAt < bodyStart) endAt = text.indexOf('-----END ', bodyStart);
      if (nextBegin !== -1 && nextBegin < bodyStart) nextBegin = text.indexOf('-----BEGIN ', bodyStart);
      if (endAt !== -1 && endAt - bodyStart <= MAX_BLOCK && (nextBegin === -1 || endAt < nextBegin) && text.startsWith(`-----END ${label}-----`, endAt)) {
        const end = endAt + label.length + 14;
        covered = end;
        if (base64Count(text.slice(bodyStart, endAt)) >= MIN_BODY) out.push(finding(at, end, COMPLETE_SCORE));
        return;
      }
      const end = truncatedBodyEnd(text, bodyStart);
      covered = end;
      if (base64Count(text.slice(bodyStart, end)) >= MIN_BODY) out.push(finding(at, end, TRUNCATED_SCORE));
    });
    return out;
  },
};
