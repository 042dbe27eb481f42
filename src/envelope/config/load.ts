/**
 * Loads an envelope file (`esq-sec.yml`): YAML → JSON Schema (`schemas/envelope.schema.json`) →
 * semantic checks → a resolved config with every default filled in. Every problem carries the
 * file and line it sits on.
 */
import { readFileSync } from 'node:fs';
import type { SourceProblem } from '../../errors.js';
import { parseYaml, type YamlSource } from '../../policy/yaml-source.js';
import { describeSchemaError, pathSegments, validator, type SchemaName } from '../../util/schemas.js';
import { spiffeIdProblem, workloadSpiffeId } from '../pki/spiffe-id.js';
import { parseAllowEntry, type AllowEntry } from './allow-list.js';
import { parseDuration } from './duration.js';
import { isLoopbackHost, parseEndpoint, type Endpoint } from './endpoint.js';
import { EnvelopeConfigError } from './errors.js';
import { parseMeshPeer, type MeshPeer } from './mesh.js';

export type KeyAlgorithm = 'Ed25519' | 'ECDSA-P256';

export interface EnvelopeConfig {
  /** The file it came from, when it came from one. */
  file?: string;
  service: string;
  classification: string;
  /** Where the wrapped service listens; undefined means "a free loopback port given to the launched service as PORT". */
  upstream?: Endpoint;
  listen: Endpoint;
  outboundAllowList: AllowEntry[];
  allowedCallers: string[];
  scannerIntervalMs: number;
  identity: {
    trustDomain: string;
    namespace: string;
    spiffeId: string;
    certTtlMs: number;
    renewBeforeMs: number;
    keyAlgorithm: KeyAlgorithm;
    pkiDir?: string;
  };
  zeroTrust: {
    requireToken: boolean;
    audiences: string[];
    tokenTtlMs: number;
    replayCache: 'memory' | 'redis';
    /** Mesh-internal peers: plain HTTP to them leaves as mTLS with a one-time token. Default: none. */
    mesh: MeshPeer[];
  };
  keys: { storageKeyId: string; masterKeyFile?: string };
  secrets: { allow: string[] };
  /** Absent unless the file asks: traffic mirroring is off by default. */
  mirror?: MirrorConfig;
  admin: { listen: Endpoint };
}

export interface MirrorConfig {
  /** The JSON-lines sink, as written (relative paths are resolved under ESQ_HOME at start). */
  jsonl: string;
  /** Body bytes copied per message; 0 = metadata only. */
  bodyLimit: number;
  queueSize: number;
}

/** The defaults for what a file leaves out (documented in schemas/envelope.schema.json). */
export const ENVELOPE_DEFAULTS = {
  classification: 'unclassified',
  listen: '127.0.0.1:8443',
  scannerInterval: '15m',
  trustDomain: 'esq.local',
  namespace: 'default',
  certTtl: '1h',
  renewBefore: '20m',
  keyAlgorithm: 'Ed25519' as KeyAlgorithm,
  tokenTtl: '30s',
  adminListen: '127.0.0.1:0',
  mirrorBodyBytes: 4096,
  mirrorQueueSize: 1000,
} as const;

const MAX_CERT_TTL_MS = 24 * 3_600_000;
const MAX_TOKEN_TTL_MS = 60_000;

interface RawEnvelope {
  service: string;
  classification?: string;
  upstream?: string | number;
  listen?: string | number;
  outboundAllowList?: string[];
  allowedCallers?: string[];
  scannerInterval?: string;
  identity?: { trustDomain?: string; namespace?: string; certTtl?: string; renewBefore?: string; keyAlgorithm?: KeyAlgorithm; pkiDir?: string };
  zeroTrust?: { requireToken?: boolean; audiences?: string[]; tokenTtl?: string; replayCache?: 'memory' | 'redis'; mesh?: Record<string, string> };
  keys?: { storageKeyId?: string; masterKeyFile?: string };
  secrets?: { allow?: string[] };
  mirror?: { jsonl: string; bodies?: boolean | number; queueSize?: number };
  admin?: { listen?: string | number };
}

export function loadEnvelopeConfig(path: string): EnvelopeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new EnvelopeConfigError([{ file: path, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  return parseEnvelopeConfig(text, path);
}

/** The config for a service with no file at all: every default. */
export function defaultEnvelopeConfig(service: string): EnvelopeConfig {
  return parseEnvelopeConfig(`service: ${JSON.stringify(service)}\n`, '(defaults)');
}

export function parseEnvelopeConfig(text: string, file: string): EnvelopeConfig {
  const { source, problems } = parseYaml(file, text);
  if (!source) throw new EnvelopeConfigError(problems);
  // The envelope schema sits beside the published ones; schemas.ts resolves any name under schemas/.
  const validate = validator('envelope' as SchemaName);
  if (!validate(source.value)) {
    const out = (validate.errors ?? []).map((e): SourceProblem => {
      const segs = pathSegments(e.instancePath);
      // Point at the offending key itself, not at the object that holds it.
      if (e.keyword === 'additionalProperties') segs.push((e.params as { additionalProperty: string }).additionalProperty);
      const pos = source.locate(segs);
      return { file, line: pos?.line, column: pos?.column, message: describeSchemaError(e) };
    });
    throw new EnvelopeConfigError(dedupe(out));
  }
  return resolve(source.value as RawEnvelope, source, file);
}

function resolve(raw: RawEnvelope, src: YamlSource, file: string): EnvelopeConfig {
  const problems: SourceProblem[] = [];
  const problem = (path: Array<string | number>, message: string) => {
    const pos = src.locate(path);
    problems.push({ file, line: pos?.line, column: pos?.column, path: readable(path), message });
  };
  const duration = (path: Array<string | number>, value: string) => {
    const ms = parseDuration(value);
    if (ms === undefined) problem(path, `"${value}" is not a duration`);
    return ms ?? 0;
  };
  const endpoint = (path: Array<string | number>, value: string | number): Endpoint => {
    const e = parseEndpoint(value);
    if (typeof e === 'string') {
      problem(path, e);
      return { host: '127.0.0.1', port: 0 };
    }
    return e;
  };

  const allow: AllowEntry[] = [];
  (raw.outboundAllowList ?? []).forEach((entry, i) => {
    const e = parseAllowEntry(entry);
    if (typeof e === 'string') problem(['outboundAllowList', i], `"${entry}": ${e}`);
    else allow.push(e);
  });
  (raw.allowedCallers ?? []).forEach((id, i) => {
    const why = spiffeIdProblem(id);
    if (why) problem(['allowedCallers', i], `"${id}" is not a SPIFFE ID: ${why}`);
  });

  const id = raw.identity ?? {};
  const trustDomain = id.trustDomain ?? ENVELOPE_DEFAULTS.trustDomain;
  const namespace = id.namespace ?? ENVELOPE_DEFAULTS.namespace;
  const certTtlMs = duration(['identity', 'certTtl'], id.certTtl ?? ENVELOPE_DEFAULTS.certTtl);
  const renewBeforeMs = duration(['identity', 'renewBefore'], id.renewBefore ?? ENVELOPE_DEFAULTS.renewBefore);
  if (certTtlMs > MAX_CERT_TTL_MS) problem(['identity', 'certTtl'], 'workload certificates are short-lived: at most 24h');
  if (certTtlMs < 60_000) problem(['identity', 'certTtl'], 'at least 1m, so rotation has room to work');
  if (renewBeforeMs >= certTtlMs) problem(['identity', 'renewBefore'], 'must be shorter than certTtl, or every certificate would be renewed at once');

  const zt = raw.zeroTrust ?? {};
  const tokenTtlMs = duration(['zeroTrust', 'tokenTtl'], zt.tokenTtl ?? ENVELOPE_DEFAULTS.tokenTtl);
  if (tokenTtlMs > MAX_TOKEN_TTL_MS || tokenTtlMs < 1000) problem(['zeroTrust', 'tokenTtl'], 'one-time tokens live between 1s and 60s');
  const mesh: MeshPeer[] = [];
  for (const [key, id] of Object.entries(zt.mesh ?? {})) {
    const peer = parseMeshPeer(key, id, allow);
    if (typeof peer === 'string') problem(['zeroTrust', 'mesh', key], peer);
    else mesh.push(peer);
  }

  const scannerIntervalMs = duration(['scannerInterval'], raw.scannerInterval ?? ENVELOPE_DEFAULTS.scannerInterval);
  if (raw.scannerInterval !== undefined && scannerIntervalMs < 60_000) problem(['scannerInterval'], 'scan at most once a minute');

  const listen = endpoint(['listen'], raw.listen ?? ENVELOPE_DEFAULTS.listen);
  const upstream = raw.upstream === undefined ? undefined : endpoint(['upstream'], raw.upstream);
  const adminListen = endpoint(['admin', 'listen'], raw.admin?.listen ?? ENVELOPE_DEFAULTS.adminListen);
  // The admin endpoint reports on security posture: it never leaves the machine.
  if ('host' in adminListen && !isLoopbackHost(adminListen.host)) problem(['admin', 'listen'], 'the admin endpoint listens on loopback only');

  if (problems.length > 0) throw new EnvelopeConfigError(problems);
  const classification = raw.classification ?? ENVELOPE_DEFAULTS.classification;
  const cfg: EnvelopeConfig = {
    file,
    service: raw.service,
    classification,
    listen,
    outboundAllowList: allow,
    allowedCallers: [...(raw.allowedCallers ?? [])],
    scannerIntervalMs,
    identity: {
      trustDomain,
      namespace,
      spiffeId: workloadSpiffeId(trustDomain, namespace, raw.service),
      certTtlMs,
      renewBeforeMs,
      keyAlgorithm: id.keyAlgorithm ?? ENVELOPE_DEFAULTS.keyAlgorithm,
      ...(id.pkiDir ? { pkiDir: id.pkiDir } : {}),
    },
    zeroTrust: { requireToken: zt.requireToken ?? false, audiences: zt.audiences ?? [raw.service], tokenTtlMs, replayCache: zt.replayCache ?? 'memory', mesh },
    keys: { storageKeyId: raw.keys?.storageKeyId ?? `esq:kms:${classification}`, ...(raw.keys?.masterKeyFile ? { masterKeyFile: raw.keys.masterKeyFile } : {}) },
    secrets: { allow: raw.secrets?.allow ?? [] },
    admin: { listen: adminListen },
  };
  if (upstream) cfg.upstream = upstream;
  if (raw.mirror) {
    const b = raw.mirror.bodies ?? false;
    cfg.mirror = { jsonl: raw.mirror.jsonl, bodyLimit: b === true ? ENVELOPE_DEFAULTS.mirrorBodyBytes : b === false ? 0 : b, queueSize: raw.mirror.queueSize ?? ENVELOPE_DEFAULTS.mirrorQueueSize };
  }
  return cfg;
}

function readable(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** oneOf failures repeat per branch; one line per place and message is enough. */
function dedupe(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
