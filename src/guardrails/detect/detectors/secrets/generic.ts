/**
 * Generic secrets: a random-looking value assigned to a secret-ish key name (`password`,
 * `api_key`, `client_secret`, `AUTH_TOKEN`, `"credentials"` …) — gitleaks' generic-api-key
 * rule, scored instead of cut off. The key decides whether to look; the value's entropy decides
 * the score. Placeholders (`changeme`, `xxxxxxxx`, `${VAR}`, `<token>`, `password123`),
 * references (`process.env.TOKEN`, `DB_PASSWORD`, `getenv(…)`), paths, URLs and lockfile hashes
 * are dropped. Values with a provider prefix (`ghp_`, `AKIA`, `eyJ`…) are left to their own
 * detectors.
 */
import type { Detector, Finding, ScanInput } from '../../types.js';
import { type Assignment, MIN_VALUE, secretAssignments } from './assignments.js';
import { isAwsSecretAssignment } from './aws.js';
import { charClasses, hasPlaceholderWord, hasRun, randomness, shannonEntropy } from './entropy.js';

export type KeyKind = 'password' | 'secret' | 'key';

/** A random value (≥ 16 characters, near-maximal entropy, mixed character classes). */
export const HIGH_SCORE = 0.85;
/** Random but of one character class (letters only, digits only) — passphrases, numeric IDs. */
export const MEDIUM_SCORE = 0.5;
/** A short password with mixed classes: real passwords are often 8–15 characters. */
export const SHORT_PASSWORD_SCORE = 0.5;
/** Plausible but weak: reported below the default threshold. */
export const WEAK_SCORE = 0.25;
/** A bare `key:` name says less than `api_key:`. */
const BARE_KEY_FACTOR = 0.7;

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'passwort', 'pword']);
const SECRET_WORDS = new Set([
  'secret', 'token', 'auth', 'credential', 'credentials', 'creds', 'apikey', 'bearer', 'authorization', 'privatekey', 'secretkey',
  'accesskey', 'clientsecret', 'authtoken', 'accesstoken', 'refreshtoken', 'sessiontoken', 'signature', 'sig',
]);
const SECRET_SUFFIXES = ['secret', 'token', 'apikey', 'secretkey', 'privatekey', 'accesskey'];
const PASSWORD_SUFFIXES = ['password', 'passwd', 'passphrase'];
/** Words that make a following `key` a secret key (`api_key`, `signing-key`, `masterKey`). */
const KEY_QUALIFIERS = new Set([
  'api', 'private', 'secret', 'access', 'signing', 'encryption', 'master', 'auth', 'app', 'account', 'subscription', 'service',
  'client', 'license', 'shared', 'hmac', 'webhook', 'session', 'crypto', 'decryption', 'root',
]);
/** A last word that says the value describes the secret instead of being it (`token_url`, `password_length`). */
const DESCRIPTIVE_SUFFIXES = new Set([
  'id', 'ids', 'url', 'urls', 'uri', 'endpoint', 'type', 'name', 'names', 'path', 'file', 'filename', 'dir', 'length', 'len', 'count',
  'limit', 'size', 'expiry', 'expires', 'expiration', 'expire', 'ttl', 'lifetime', 'header', 'field', 'policy', 'hint', 'label', 'ref',
  'version', 'mode', 'method', 'methods', 'provider', 'format', 'host', 'hostname', 'port', 'user', 'username', 'login', 'email',
  'enabled', 'enable', 'disabled', 'required', 'min', 'max', 'timeout', 'prefix', 'suffix', 'location', 'arn', 'env', 'var',
  'strength', 'rotation', 'reset', 'source', 'scope', 'scopes', 'kind', 'algorithm', 'alg', 'encoding', 'regex', 'pattern', 'rule',
  'rules', 'description', 'help', 'placeholder', 'text', 'message', 'error', 'template', 'prompt', 'flag', 'option', 'options',
  'strategy', 'class', 'module', 'handler', 'callback', 'issuer', 'audience', 'domain', 'realm', 'tenant', 'region', 'usage',
  'status', 'state', 'valid', 'validity', 'created', 'updated', 'at', 'in', 'fingerprint', 'hash', 'digest', 'index',
]);
/** Keys that hold public material. */
const PUBLIC_WORDS = new Set(['public', 'pub', 'publishable']);

/** Key name → lower-case words: `AWS_SECRET_ACCESS_KEY`, `secretAccessKey`, `x-api-key`, `APIKey`. */
export function keyWords(key: string): string[] {
  const words: string[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    const c = key.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const alnum = upper || (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (!alnum) {
      if (cur) words.push(cur.toLowerCase());
      cur = '';
      continue;
    }
    if (upper && cur) {
      const prev = key.charCodeAt(i - 1);
      const prevLower = (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
      const next = key.charCodeAt(i + 1);
      const nextLower = next >= 97 && next <= 122;
      // `secretKey` → secret|Key; `APIKey` → API|Key (an upper run ends before its last capital).
      if (prevLower || (nextLower && prev >= 65 && prev <= 90)) {
        words.push(cur.toLowerCase());
        cur = '';
      }
    }
    cur += ch;
  }
  if (cur) words.push(cur.toLowerCase());
  return words;
}

/** Whether a key name marks its value as a password, a secret, a bare key — or none of these. */
export function secretKeyKind(key: string): KeyKind | undefined {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (last === undefined || DESCRIPTIVE_SUFFIXES.has(last) || words.some((w) => PUBLIC_WORDS.has(w))) return undefined;
  let kind: KeyKind | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (PASSWORD_WORDS.has(w) || PASSWORD_SUFFIXES.some((s) => w.endsWith(s))) return 'password';
    if (SECRET_WORDS.has(w) || SECRET_SUFFIXES.some((s) => w.endsWith(s))) kind = 'secret';
    else if (w === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) kind = 'secret';
  }
  if (!kind && words.length === 1 && last === 'key') kind = 'key';
  return kind;
}

/** `${VAR}`, `${{ secrets.X }}`, `{{ .Values.x }}`, `<token>`, `%(pw)s`, `$VAR`, `%VAR%`, `#{x}`, `[REDACTED]`. */
const TEMPLATE = /^(?:\$\{[^}]{0,1024}\}{1,2}|\{\{[^}]{0,1024}\}\}|<[^>]{0,1024}>|%\([^)]{0,1024}\)s|\$[A-Za-z_][A-Za-z0-9_]{0,1024}|%[A-Za-z_][A-Za-z0-9_]{0,1024}%|#\{[^}]{0,1024}\}|\[[^\]]{0,1024}\])$/;
/** `process.env.TOKEN`, `config.secret`, `self.password`. */
const MEMBER_ACCESS = /^[A-Za-z_$][\w$]{0,64}(?:\.[A-Za-z_$][\w$]{0,64}){1,8}$/;
/** `DB_PASSWORD`, `MY_API_KEY`: the name of an environment variable, not its value. */
const ENV_NAME = /^[A-Z][A-Z0-9]{0,64}(?:_[A-Z0-9]{1,64}){1,8}$/;
/** `my-secret-token`, `insert_key_here`, `correct horse`: words joined by separators. */
const SEPARATED_WORDS = /^[a-z]{1,64}(?:[_. -][a-z]{1,64}){1,16}$/i;
/** Subresource-integrity and digest values in lockfiles and manifests. */
const DIGEST = /^sha(?:1|224|256|384|512)[-:]/;

/** Common stand-ins for a password in docs, tests and samples. */
const STAND_INS = new Set([
  'password', 'passwd', 'secret', 'changeme', 'changeit', 'admin', 'root', 'test', 'testing', 'default', 'none', 'null', 'nil',
  'undefined', 'true', 'false', 'empty', 'string', 'token', 'value', 'hunter', 'letmein', 'qwerty', 'welcome', 'guest', 'abc',
  'foobar', 'foo', 'bar', 'baz', 'todo', 'tbd', 'required', 'optional', 'mysecret', 'mypassword', 'demo', 'pass', 'p@ssw0rd',
  'passw0rd', 'p@ssword', 'pa$$word', 'secretkey', 'apikey', 'qwertyuiop', 'iloveyou', 'trustno', 'master', 'sunshine',
]);

/** A value that is not a secret whatever its key says. */
export function isPlaceholderValue(value: string): boolean {
  if (value.length < MIN_VALUE || TEMPLATE.test(value) || DIGEST.test(value) || value.includes('://')) return true;
  // References name things with words; a dotted token with digits (`ya29.a0Af…`) is a value.
  if ((MEMBER_ACCESS.test(value) && !charClasses(value).digit) || ENV_NAME.test(value)) return true;
  // `password123`, `Secret2024!`, `admin_1`: a stand-in with digits or punctuation appended.
  let core = value.length;
  while (core > 0 && !isLetter(value.charCodeAt(core - 1))) core--;
  if (STAND_INS.has(value.slice(0, core).toLowerCase())) return true;
  if (hasPlaceholderWord(value) || hasRun(value, 5)) return true;
  const c0 = value.charCodeAt(0);
  // Paths: `./certs/key.pem`, `~/.ssh/id_rsa`, `/etc/secrets/token` (not base64 that starts with `/`).
  if (c0 === 46 || c0 === 126 || (c0 === 47 && value.indexOf('/', 1) !== -1)) {
    const k = charClasses(value);
    if (!(k.lower && k.upper && k.digit)) return true;
  }
  return false;
}

/** Values a dedicated detector reports (by provider prefix). */
const CLAIMED_PREFIXES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'gldt-', 'glrt-', 'glcbt-', 'glptt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glsoat-', 'glffct-', 'GR1348941', 'xox', 'xapp-', 'AKIA', 'ASIA', 'ABIA', 'ACCA', 'AIza', 'sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'eyJ', '-----BEGIN', 'DefaultEndpointsProtocol=', 'Endpoint=sb://'];
/** Connection-string members the Azure detector reports. */
const AZURE_KEYS = new Set(['accountkey', 'sharedaccesskey']);

function claimed(a: Assignment): boolean {
  return CLAIMED_PREFIXES.some((p) => a.value.startsWith(p)) || AZURE_KEYS.has(a.key.toLowerCase()) || isAwsSecretAssignment(a);
}

/** Score of a value under a key of the given kind; 0 means not reported at all. */
export function scoreSecretValue(kind: KeyKind, value: string): number {
  if (isPlaceholderValue(value)) return 0;
  const r = randomness(value);
  const k = charClasses(value);
  const h = shannonEntropy(value);
  const factor = kind === 'key' ? BARE_KEY_FACTOR : 1;
  if (value.length >= 16) {
    const words = SEPARATED_WORDS.test(value);
    // A long password that is no placeholder is a password, random or not (a passphrase).
    if (r < 0.8) return kind === 'password' ? (r >= 0.6 && !words ? MEDIUM_SCORE : WEAK_SCORE) : r >= 0.7 && h >= 3 ? WEAK_SCORE * factor : 0;
    if (words) return WEAK_SCORE * factor;
    const lettersOnly = !k.digit && !k.other;
    // Random mixed-case letters are half capitals; words and camelCase names have few.
    const fewCapitals = lettersOnly && countUpper(value) * 4 < value.length;
    if (k.count === 1 || fewCapitals) return MEDIUM_SCORE * factor;
    return HIGH_SCORE * factor;
  }
  if (value.length >= 8 && kind === 'password') return k.count >= 3 && r >= 0.8 ? SHORT_PASSWORD_SCORE : WEAK_SCORE;
  if (value.length >= 8 && r >= 0.85 && k.count >= 2) return WEAK_SCORE * factor;
  return 0;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function countUpper(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) n++;
  }
  return n;
}

export const genericSecretDetector: Detector = {
  id: 'generic-secret',
  entities: ['GENERIC_SECRET'],
  // The key name is the context; nearby words must not lift a placeholder over the threshold.
  context: [],
  regexes: [TEMPLATE, MEMBER_ACCESS, ENV_NAME, SEPARATED_WORDS, DIGEST],
  detect(input: ScanInput): Finding[] {
    const { text } = input;
    const out: Finding[] = [];
    for (const a of secretAssignments(input)) {
      const kind = secretKeyKind(a.key);
      if (!kind || claimed(a)) continue;
      if (!a.quoted && text.charCodeAt(a.end) === 40) continue; // `getenv(…)`: a call, not a value
      const score = scoreSecretValue(kind, a.value);
      if (score > 0) out.push({ entity: 'GENERIC_SECRET', start: a.start, end: a.end, score, detector: 'generic-secret' });
    }
    return out;
  },
};
