/**
 * AWS credentials. Access key IDs have a documented shape: a 4-letter type prefix (`AKIA`
 * long-term, `ASIA` STS temporary, `ABIA` STS bearer, `ACCA` context-specific) and 16 base32
 * characters. Secret access keys are 40 characters of base64 with nothing to anchor on, so they
 * are reported only where something says what they are: an AWS key name (`aws_secret_access_key`,
 * `SecretAccessKey`, `AWS_SECRET_ACCESS_KEY`…) or an access key ID close by (the credentials CSV,
 * a pasted `aws configure` session).
 */
import type { Detector, Finding, ScanInput } from '../../types.js';
import { anchoredDetector } from './anchored.js';
import { type Assignment, secretAssignments } from './assignments.js';
import { charClasses, isPlaceholderToken, randomness } from './entropy.js';

const ACCESS_KEY_SCORE = 0.9;
export const SECRET_BY_NAME_SCORE = 0.9;
/** A bare 40-character token is only a guess, even next to an access key ID. */
export const SECRET_NEAR_ID_SCORE = 0.6;
/** How far from an access key ID a bare secret key is looked for. */
const NEAR = 300;

const SECRET_SHAPE = /^[A-Za-z0-9/+]{40}$/;
const NON_ALNUM = /[^a-z0-9]/g;

const accessKeys = anchoredDetector({
  id: 'aws',
  entity: 'AWS_ACCESS_KEY',
  patterns: [
    {
      name: 'aws-access-key-id',
      anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
      extract: /A(?:KIA|SIA|BIA|CCA)[0-9A-Za-z_]{1,17}/y,
      // Base32: IDs with 0, 1, 8 or 9 were never issued.
      shape: /^A(?:KIA|SIA|BIA|CCA)[A-Z2-7]{16}$/,
      score: ACCESS_KEY_SCORE,
    },
  ],
  validate: (id) => (isPlaceholderToken(id.slice(4), 2.5) ? false : undefined),
});

/** Key names that say the value is an AWS secret access key. */
export function isAwsSecretKeyName(key: string): boolean {
  const k = key.toLowerCase().replace(NON_ALNUM, '');
  return k.includes('secretaccesskey') || (k.includes('aws') && k.includes('secret'));
}

/** 40 base64 characters that look drawn at random: all three character classes, high entropy. */
export function looksLikeAwsSecret(value: string): boolean {
  if (!SECRET_SHAPE.test(value) || value.includes('EXAMPLE')) return false;
  const k = charClasses(value);
  return k.lower && k.upper && k.digit && randomness(value) >= 0.8;
}

/** An assignment the AWS detector reports (so the generic detector leaves it alone). */
export function isAwsSecretAssignment(a: Assignment): boolean {
  return a.value.length === 40 && isAwsSecretKeyName(a.key) && looksLikeAwsSecret(a.value);
}

const isB64Code = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;

/** Bare 40-character secret keys within `NEAR` characters of [from, to). */
function secretsNear(text: string, from: number, to: number, hit: (start: number, end: number) => void): void {
  const lo = Math.max(0, from - NEAR);
  const hi = Math.min(text.length, to + NEAR);
  let i = lo;
  // A run the window cuts into began outside it: skip it.
  if (i > 0 && isB64Code(text.charCodeAt(i - 1))) while (i < hi && isB64Code(text.charCodeAt(i))) i++;
  while (i < hi) {
    if (!isB64Code(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && i - start <= 40 && isB64Code(text.charCodeAt(i))) i++;
    if (i - start === 40 && !isB64Code(text.charCodeAt(i)) && looksLikeAwsSecret(text.slice(start, i))) hit(start, i);
    while (i < text.length && isB64Code(text.charCodeAt(i))) i++; // the rest of a longer run
  }
}

export const awsDetector: Detector = {
  id: 'aws',
  entities: ['AWS_ACCESS_KEY', 'AWS_SECRET_KEY'],
  context: ['aws', 'amazon', 'access key', 'secret key', 'iam', 'credentials'],
  regexes: [...accessKeys.regexes, SECRET_SHAPE, NON_ALNUM],
  detect(input: ScanInput): Finding[] {
    const { text } = input;
    const out = accessKeys.detect(input);
    const reported = new Set<number>();
    const secret = (start: number, end: number, score: number) => {
      if (reported.has(start)) return;
      reported.add(start);
      out.push({ entity: 'AWS_SECRET_KEY', start, end, score, detector: 'aws' });
    };
    for (const a of secretAssignments(input)) if (isAwsSecretAssignment(a)) secret(a.start, a.end, SECRET_BY_NAME_SCORE);
    for (const id of out.slice()) { // a copy: secrets are appended to `out` meanwhile
      if (id.entity === 'AWS_ACCESS_KEY') secretsNear(text, id.start, id.end, (s, e) => secret(s, e, SECRET_NEAR_ID_SCORE));
    }
    return out;
  },
};
