/**
 * JSON Web Tokens: compact JWS (`header.payload.signature`) and JWE (five parts). The header
 * always starts `{"`, so its base64url starts `eyJ` — the anchor. A candidate counts only if
 * its header decodes to a JSON object with an `alg` (and a string `typ` if any) and, for a JWS,
 * its payload decodes to a JSON object; anything else is dropped.
 */
import type { Detector, Finding, ScanInput } from '../../types.js';
import { forEachLiteral, matchAt, startsToken } from './scan.js';

export const SIGNED_SCORE = 0.95;
/** `alg: none` or a missing signature: the claims are readable, but it may be a fragment. */
export const UNSIGNED_SCORE = 0.8;
export const ENCRYPTED_SCORE = 0.9;

const EXTRACT = /eyJ[A-Za-z0-9_.-]{1,16384}/y;
const JWS = /^eyJ[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{0,1024}$/;
const JWE = /^eyJ[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{0,2048}\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{1,64}$/;

/** Base64url → parsed JSON object, or undefined for anything else. */
export function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Score of a compact JWT, or 0 when it is not one. */
export function scoreJwt(token: string): number {
  const parts = token.split('.');
  const header = decodeJsonObject(parts[0]!);
  if (!header || typeof header.alg !== 'string' || (header.typ !== undefined && typeof header.typ !== 'string')) return 0;
  if (parts.length === 5) return JWE.test(token) && typeof header.enc === 'string' ? ENCRYPTED_SCORE : 0;
  if (parts.length !== 3 || !JWS.test(token) || !decodeJsonObject(parts[1]!)) return 0;
  return header.alg.toLowerCase() === 'none' || parts[2] === '' ? UNSIGNED_SCORE : SIGNED_SCORE;
}

/** Number of `.` in s, counting stops past 5. */
function dots(s: string): number {
  let n = 0;
  for (let i = s.indexOf('.'); i !== -1 && n <= 5; i = s.indexOf('.', i + 1)) n++;
  return n;
}

export const jwtDetector: Detector = {
  id: 'jwt',
  entities: ['JWT'],
  context: ['jwt', 'bearer', 'token', 'authorization'],
  regexes: [EXTRACT, JWS, JWE],
  detect(input: ScanInput): Finding[] {
    const { text } = input;
    const out: Finding[] = [];
    let next = 0;
    // `J` is rare in prose and `eyJ` is not (`e`, `y`): find the `J`, then look back.
    forEachLiteral(text, 'J', (hit) => {
      const at = hit - 2;
      if (at < next || at < 0 || text.charCodeAt(at) !== 101 || text.charCodeAt(at + 1) !== 121 || !startsToken(text, at)) return;
      const m = matchAt(EXTRACT, text, at);
      if (!m) return;
      next = at + m[0].length;
      if (dots(m[0]) > 5) return; // a dotted run (a hostname, a path), not a token
      let core = m[0].length;
      while (text.charCodeAt(at + core - 1) === 46) core--; // trailing dots: sentence punctuation or an empty signature
      let token = text.slice(at, at + core);
      // `header.payload` is an unsigned token (or a fragment); its empty signature is the dot after it.
      if (token.split('.').length === 2) token += '.';
      const score = scoreJwt(token);
      const end = Math.min(at + token.length, at + m[0].length);
      if (score > 0) out.push({ entity: 'JWT', start: at, end, score, detector: 'jwt' });
    });
    return out;
  },
};
