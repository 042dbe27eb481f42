/**
 * GitHub tokens. Classic tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) are 30 random base62
 * characters followed by a 6-character base62 CRC32 of those 30 (GitHub's 2021 token format),
 * so a typo or an invented token fails the check. Fine-grained PATs (`github_pat_`) carry no
 * checksum we can verify offline.
 */
import type { Verdict } from '../../types.js';
import { anchoredDetector } from './anchored.js';
import { isPlaceholderToken } from './entropy.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3) of an ASCII string. */
export function crc32(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff]!;
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 digits of `n`, left-padded with `0` to `width`. */
export function base62(n: number, width: number): string {
  let s = '';
  do {
    s = BASE62[n % 62]! + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(width, '0');
}

/** Whether a classic token's last 6 characters are the base62 CRC32 of the 30 before them. */
export function githubChecksumValid(token: string): boolean {
  const body = token.slice(4);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** A checksum failure is most likely an invented or mistyped token: kept, but below the threshold. */
export const CHECKSUM_FAILED_SCORE = 0.3;

function validate(value: string): Verdict {
  if (value.startsWith('github_pat_')) return isPlaceholderToken(value.slice(11)) ? false : undefined;
  if (githubChecksumValid(value)) return true;
  return isPlaceholderToken(value.slice(4)) ? false : CHECKSUM_FAILED_SCORE;
}

export const githubDetector = anchoredDetector({
  id: 'github-token',
  entity: 'GITHUB_TOKEN',
  patterns: [
    {
      name: 'github-classic',
      // `_` is rare in prose: one pass over it beats five over `gh…`.
      anchors: ['_'],
      lead: 3,
      extract: /gh[pousr]_[A-Za-z0-9_]{1,40}/y,
      shape: /^gh[pousr]_[A-Za-z0-9]{36}$/,
      score: 0.9,
    },
    {
      name: 'github-fine-grained',
      anchors: ['_pat_'],
      lead: 6,
      extract: /github_pat_[A-Za-z0-9_]{1,90}/y,
      shape: /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/,
      score: 0.9,
    },
  ],
  // No context words: the checksum decides, and a failed one must stay below the threshold.
  context: [],
  validate,
});
