/**
 * Azure connection strings: Storage (`DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…`)
 * and Service Bus / Event Hubs (`Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…`).
 * Anchored on `AccountKey=` / `SharedAccessKey=`; the finding is the whole connection string,
 * since every part of it is needed to use the key and it is pasted as one value.
 */
import type { Detector, Finding, ScanInput } from '../../types.js';
import { forEachLiteral } from './scan.js';

/** A storage account key is 64 bytes, a shared access key 32: the base64 length proves the shape. */
const STORAGE_KEY_BYTES = 64;
const SAS_KEY_BYTES = 32;
const COMPLETE_SCORE = 0.9;
/** A key without the account or endpoint beside it: still a credential, harder to use. */
const PARTIAL_SCORE = 0.6;
/** The Azurite / storage-emulator key, published in Microsoft's docs. */
const EMULATOR_SCORE = 0.1;
const EMULATOR_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const MAX_RUN = 2048;

const KEY_SHAPE = /^[A-Za-z0-9+/]{20,300}={0,2}$/;
const SEGMENT_NAMES = new Set(
  [
    'DefaultEndpointsProtocol', 'AccountName', 'AccountKey', 'EndpointSuffix', 'BlobEndpoint', 'QueueEndpoint', 'TableEndpoint',
    'FileEndpoint', 'SharedAccessSignature', 'Endpoint', 'SharedAccessKeyName', 'SharedAccessKey', 'EntityPath', 'TransportType',
  ].map((n) => n.toLowerCase()),
);

/** Characters that cannot occur in a connection string (so they delimit one). */
// `c !== c`: NaN, past the end of the text.
const isStop = (c: number) => c !== c || c <= 32 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 44;

/** Decoded length of a base64 string that passed KEY_SHAPE. */
export function base64Bytes(s: string): number {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length * 3) / 4 - pad;
}

export interface ConnectionString {
  start: number;
  end: number;
  /** Segment name (lower-case) → value. */
  parts: Map<string, string>;
}

/** Parses the connection string around the `…Key=` at `at`. */
export function connectionStringAt(text: string, at: number): ConnectionString | undefined {
  let l = at;
  while (l > 0 && at - l < MAX_RUN && !isStop(text.charCodeAt(l - 1))) l--;
  let r = at;
  while (r < text.length && r - at < MAX_RUN && !isStop(text.charCodeAt(r))) r++;
  while (r > at && (text.charCodeAt(r - 1) === 59 || text.charCodeAt(r - 1) === 46)) r--; // trailing `;` or `.`

  // The string starts at the first known segment name; text before it is a variable name (`CONN=`).
  let start = -1;
  for (let i = l; i <= at; i++) {
    if (i !== l && !'=:;'.includes(text[i - 1]!)) continue;
    const eq = text.indexOf('=', i);
    if (eq !== -1 && eq <= at + 16 && SEGMENT_NAMES.has(text.slice(i, eq).toLowerCase())) {
      start = i;
      break;
    }
  }
  if (start === -1) return undefined;
  const parts = new Map<string, string>();
  for (const seg of text.slice(start, r).split(';')) {
    const eq = seg.indexOf('=');
    if (eq > 0) parts.set(seg.slice(0, eq).toLowerCase(), seg.slice(eq + 1));
  }
  return { start, end: r, parts };
}

/** Score of a parsed connection string; 0 when its key is not a key (placeholder, truncated). */
export function scoreConnectionString(parts: Map<string, string>): number {
  const accountKey = parts.get('accountkey');
  const sasKey = parts.get('sharedaccesskey');
  const key = accountKey ?? sasKey;
  if (key === undefined || !KEY_SHAPE.test(key)) return 0;
  if (key === EMULATOR_KEY) return EMULATOR_SCORE;
  const complete = accountKey !== undefined ? parts.has('accountname') : parts.has('endpoint') && parts.has('sharedaccesskeyname');
  if (!complete) return PARTIAL_SCORE;
  return base64Bytes(key) === (accountKey !== undefined ? STORAGE_KEY_BYTES : SAS_KEY_BYTES) ? 1 : COMPLETE_SCORE;
}

export const azureDetector: Detector = {
  id: 'azure',
  entities: ['AZURE_CONNECTION_STRING'],
  context: ['azure', 'connection string', 'storage', 'service bus', 'event hub'],
  regexes: [KEY_SHAPE],
  detect(input: ScanInput): Finding[] {
    const { text } = input;
    const out: Finding[] = [];
    let covered = -1;
    // One pass over `Key=` (a rare capital first) finds both anchors.
    forEachLiteral(text, 'Key=', (hit) => {
      const at = text.startsWith('AccountKey=', hit - 7) ? hit - 7 : text.startsWith('SharedAccessKey=', hit - 12) ? hit - 12 : -1;
      if (at < 0 || at < covered) return;
      const prev = text.charCodeAt(at - 1);
      // A segment starts the string or follows `;` (or a `=`/`:` of the variable it is assigned to).
      if (at > 0 && !(prev === 59 || prev === 61 || prev === 58 || isStop(prev))) return;
      const cs = connectionStringAt(text, at);
      if (!cs) return;
      const score = scoreConnectionString(cs.parts);
      covered = cs.end;
      if (score > 0) out.push({ entity: 'AZURE_CONNECTION_STRING', start: cs.start, end: cs.end, score, detector: 'azure' });
    });
    return out;
  },
};
