/**
 * Google Cloud credentials: API keys (`AIza` + 35 base64url characters) and service-account key
 * files — JSON with `"type": "service_account"` whose `"private_key"` holds a PEM key. The
 * finding for a key file is the private key's string value (the part that grants access).
 */
import type { Detector, Finding, ScanInput } from '../../types.js';
import { anchoredDetector } from './anchored.js';
import { isPlaceholderToken } from './entropy.js';
import { forEachLiteral } from './scan.js';

export const SERVICE_ACCOUNT_SCORE = 1;
/** A `private_key` in a service-account file that holds no PEM key (redacted, truncated). */
const NON_PEM_KEY_SCORE = 0.5;
/** How far from `"type": "service_account"` the private key may sit (a key file is ~2.4 KB). */
const FILE_SPAN = 8192;
const MAX_KEY_VALUE = 8192;

const apiKeys = anchoredDetector({
  id: 'gcp',
  entity: 'GCP_API_KEY',
  patterns: [{ name: 'gcp-api-key', anchors: ['AIza'], extract: /AIza[0-9A-Za-z_-]{1,40}/y, shape: /^AIza[0-9A-Za-z_-]{35}$/, score: 0.9 }],
  validate: (value) => (isPlaceholderToken(value.slice(4)) ? false : undefined),
});

const PEM_IN_STRING = /^-----BEGIN (?:RSA )?PRIVATE KEY-----/;

const isBlank = (c: number) => c === 32 || c === 9;

/** Whether `service_account` at `i` is the value of a `"type"` member: `"type": "service_account"`. */
export function isServiceAccountType(text: string, i: number): boolean {
  let j = i - 1;
  const after = text.charCodeAt(i + 15);
  if (text.charCodeAt(j) !== 34 || !(after === 34 || (after === 92 && text.charCodeAt(i + 16) === 34))) return false;
  j--;
  if (text.charCodeAt(j) === 92) j--; // escaped JSON
  while (i - j < 24 && isBlank(text.charCodeAt(j))) j--;
  if (text.charCodeAt(j) !== 58) return false;
  j--;
  while (i - j < 40 && isBlank(text.charCodeAt(j))) j--;
  if (text.charCodeAt(j) !== 34) return false;
  if (text.charCodeAt(j - 1) === 92) j--;
  return text.startsWith('"type', j - 5);
}

/**
 * The string value after `private_key"` at `at` (plain or backslash-escaped JSON):
 * [start, end) of the value between its quotes, or undefined.
 */
export function privateKeyValue(text: string, at: number): [number, number] | undefined {
  let i = at + 'private_key'.length;
  const escaped = text.charCodeAt(i) === 92; // \"private_key\": \"…\"
  if (escaped) i++;
  if (text.charCodeAt(i) !== 34) return undefined; // not the whole key (e.g. private_key_id)
  i++;
  while (i - at < 40 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) !== 58) return undefined;
  i++;
  while (i - at < 60 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (escaped) {
    if (text.charCodeAt(i) !== 92) return undefined;
    i++;
  }
  if (text.charCodeAt(i) !== 34) return undefined;
  const start = i + 1;
  for (let j = start; j < text.length && j - start <= MAX_KEY_VALUE; j++) {
    const c = text.charCodeAt(j);
    if (c === 10 || c === 13) return undefined; // JSON strings hold `\n`, never a raw line break
    if (c === 92) {
      // In escaped JSON the closing quote is `\"`; `\\n` is an escaped newline inside the value.
      if (escaped && text.charCodeAt(j + 1) === 34) return [start, j];
      j++;
      continue;
    }
    if (c === 34) return escaped ? undefined : [start, j];
  }
  return undefined;
}

export const gcpDetector: Detector = {
  id: 'gcp',
  entities: ['GCP_API_KEY', 'GCP_SERVICE_ACCOUNT'],
  context: ['google', 'gcp', 'api key', 'firebase', 'maps'],
  regexes: [...apiKeys.regexes, PEM_IN_STRING],
  detect(input: ScanInput): Finding[] {
    const { text } = input;
    const out = apiKeys.detect(input);
    const types: number[] = [];
    // Short anchors that start with the rare `_`, checked in full after.
    forEachLiteral(text, '_acc', (hit) => {
      if (text.startsWith('service_account', hit - 7) && isServiceAccountType(text, hit - 7)) types.push(hit - 7);
    });
    if (types.length === 0) return out;
    let t = 0; // index into `types`, which like the keys below comes in text order
    forEachLiteral(text, '_key', (hit) => {
      const at = hit - 7;
      if (!text.startsWith('private_key', at) || text.charCodeAt(at - 1) !== 34) return; // a JSON member name, plain or escaped
      const span = privateKeyValue(text, at);
      if (!span) return;
      while (t < types.length && types[t]! <= at - FILE_SPAN) t++;
      if (t === types.length || types[t]! >= span[1] + FILE_SPAN) return;
      const value = text.slice(span[0], span[1]);
      const score = PEM_IN_STRING.test(value) ? SERVICE_ACCOUNT_SCORE : isPlaceholderToken(value, 3.5) ? 0 : NON_PEM_KEY_SCORE;
      if (score > 0) out.push({ entity: 'GCP_SERVICE_ACCOUNT', start: span[0], end: span[1], score, detector: 'gcp' });
    });
    return out;
  },
};
