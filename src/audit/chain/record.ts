/**
 * Audit records and their hash chain: each record's hash covers its predecessor's hash, so changing,
 * removing, inserting or moving any record breaks every link after it. Pure: no I/O, no clock.
 */
import { hash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { InvalidInputError } from '../../errors.js';

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string | undefined;

/** prevHash of the first record (seq 1). */
export const GENESIS_HASH = '0'.repeat(64);

/** Known kinds; others are allowed (lowercase, e.g. `budget.reserve`) so new producers need no schema change. */
export type AuditKind = 'decision' | 'auth' | 'approval' | 'admin' | (string & {});

/** One entry of the append-only log. Optional fields are absent (never null) when unset. */
export interface AuditRecord {
  /** 1, 2, 3, … with no gaps; assigned by the store. */
  seq: number;
  /** ISO 8601 UTC, millisecond precision. */
  time: string;
  kind: AuditKind;
  tenant?: string;
  principal?: string;
  /** The action name for decisions (e.g. `export_phi`). */
  action?: string;
  effect?: string;
  ruleIds?: string[];
  /** Free-form JSON object. Must not hold raw sensitive values: the caller hashes or drops them. */
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** What a caller appends: the store assigns seq, prevHash and hash, and time when absent. */
export interface AuditRecordInput {
  time?: string | Date;
  kind: AuditKind;
  tenant?: string;
  principal?: string;
  action?: string;
  effect?: string;
  ruleIds?: string[];
  data: Record<string, unknown>;
}

/** The last record of a chain (seq 0 and GENESIS_HASH when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_HASH });

const OPTIONAL_TEXT = ['tenant', 'principal', 'action', 'effect'] as const;
const KIND_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** RFC 8785 canonical JSON. Throws InvalidInputError for values JSON cannot carry (bigint, functions, NaN, cycles). */
export function canonicalJson(value: unknown, what = 'value'): string {
  return parseCanonical(value, what).text;
}

/**
 * Canonical text of a value made only of plain JSON (strings, finite numbers other than -0,
 * booleans, null, dense arrays, objects with the plain prototype and no toJSON), else undefined.
 * For such values the text is exactly what `canonicalize` writes and parsing it back would give
 * an equal value, so the general path's parse-back can be skipped: the store's hot path.
 */
function plainCanonical(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? JSON.stringify(v) : undefined;
    case 'object': {
      if (v === null) return 'null';
      if (depth > 64) return undefined; // deep or cyclic: the general path reports it
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (!(i in v)) return undefined;
          const t = plainCanonical(v[i], depth + 1);
          if (t === undefined) return undefined;
          out += i === 0 ? t : `,${t}`;
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const t = plainCanonical(o[keys[i]!], depth + 1);
        if (t === undefined) return undefined;
        out += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${t}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/**
 * Canonical text and the value it stands for: the value itself when it is plain JSON, else the
 * text parsed back (the parse also proves the text is JSON: `canonicalize` writes "undefined" for
 * functions inside objects).
 */
function parseCanonical(value: unknown, what: string): { text: string; parsed: unknown } {
  const plain = plainCanonical(value, 0);
  if (plain !== undefined) return { text: plain, parsed: value };
  try {
    const text = canonicalize(value);
    if (text === undefined) throw new Error('no JSON form');
    return { text, parsed: JSON.parse(text) };
  } catch (e) {
    throw new InvalidInputError(`${what} is not plain JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** The fields a record's hash covers: everything but `hash`, with unset optional fields left out. */
export function hashedBody(r: Omit<AuditRecord, 'hash'>): Record<string, unknown> {
  const body: Record<string, unknown> = { seq: r.seq, time: r.time, kind: r.kind, data: r.data, prevHash: r.prevHash };
  for (const k of OPTIONAL_TEXT) if (r[k] !== undefined && r[k] !== null) body[k] = r[k];
  if (r.ruleIds !== undefined && r.ruleIds !== null) body.ruleIds = r.ruleIds;
  return body;
}

// hashedBody's keys in RFC 8785 order (UTF-16 code units), for assembling the canonical text directly.
const BODY_KEYS = ['action', 'data', 'effect', 'kind', 'prevHash', 'principal', 'ruleIds', 'seq', 'tenant', 'time'] as const;

/**
 * canonicalJson(hashedBody(r)), assembled field by field so a known `dataJson` (already canonical) is not
 * canonicalized again: the store's hot path. Strings and numbers serialize as in RFC 8785 via JSON.stringify.
 */
export function canonicalBody(r: Omit<AuditRecord, 'hash'>, dataJson?: string): string {
  const body = hashedBody(r);
  const parts: string[] = [];
  for (const k of BODY_KEYS) {
    if (!(k in body)) continue;
    const v = body[k];
    const text = k === 'data' && dataJson !== undefined ? dataJson : typeof v === 'string' || Number.isSafeInteger(v) ? JSON.stringify(v) : canonicalJson(v, `audit record ${r.seq} ${k}`);
    parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** sha256(prevHash + canonical(record without hash)), lowercase hex. */
export function recordHash(r: Omit<AuditRecord, 'hash'>, dataJson?: string): string {
  return hash('sha256', r.prevHash + canonicalBody(r, dataJson), 'hex'); // one-shot: one native call per record
}

/** An input checked and normalized once, outside any transaction: `dataJson` is what the store keeps. */
export interface PreparedAuditInput {
  time: string;
  kind: string;
  tenant?: string;
  principal?: string;
  action?: string;
  effect?: string;
  ruleIds?: string[];
  data: Record<string, unknown>;
  dataJson: string;
}

function isoTime(value: string | Date, what: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidInputError(`${what} is not a valid time: ${String(value)}`);
  return d.toISOString();
}

/**
 * Validates and normalizes inputs. `data` is replaced by its canonical JSON parsed back, so the record
 * returned to the caller is exactly what a later read yields (and hashes the same).
 */
export function prepareAuditInputs(inputs: readonly AuditRecordInput[], now: Date): PreparedAuditInput[] {
  if (!Array.isArray(inputs)) throw new InvalidInputError('audit records must be an array');
  const nowIso = now.toISOString();
  return inputs.map((input, i) => {
    const what = `audit record [${i}]`;
    if (input === null || typeof input !== 'object') throw new InvalidInputError(`${what} must be an object`);
    if (typeof input.kind !== 'string' || !KIND_PATTERN.test(input.kind)) {
      throw new InvalidInputError(`${what}.kind must be a lowercase name such as "decision" (got ${JSON.stringify(input.kind)})`);
    }
    const d = input.data;
    if (d === null || typeof d !== 'object' || Array.isArray(d)) throw new InvalidInputError(`${what}.data must be a JSON object`);
    const { text: dataJson, parsed } = parseCanonical(d, `${what}.data`);
    const out: PreparedAuditInput = {
      time: input.time === undefined ? nowIso : isoTime(input.time, `${what}.time`),
      kind: input.kind,
      data: parsed as Record<string, unknown>,
      dataJson,
    };
    for (const k of OPTIONAL_TEXT) {
      const v = input[k];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw new InvalidInputError(`${what}.${k} must be a string`);
      out[k] = v;
    }
    if (input.ruleIds !== undefined && input.ruleIds !== null) {
      if (!Array.isArray(input.ruleIds) || !input.ruleIds.every((x: unknown) => typeof x === 'string')) {
        throw new InvalidInputError(`${what}.ruleIds must be an array of strings`);
      }
      out.ruleIds = [...input.ruleIds];
    }
    return out;
  });
}

/** Links prepared inputs onto `head`: consecutive seqs, each hash covering the previous one. Record i keeps inputs[i].dataJson as its data text. */
export function extendChain(head: ChainHead, inputs: readonly PreparedAuditInput[]): AuditRecord[] {
  let prev = head;
  return inputs.map((p) => {
    const { dataJson, ...fields } = p;
    const body = { ...fields, seq: prev.seq + 1, prevHash: prev.hash };
    const record: AuditRecord = { ...body, hash: recordHash(body, dataJson) };
    prev = record;
    return record;
  });
}
