/**
 * Validates structured data (an LLM's JSON output, a tool call's arguments) against a JSON Schema
 * (draft 2020-12, with ajv-formats). Each schema is compiled once and cached: by identity, and by
 * a hash of its canonical JSON, so a schema re-read from YAML for every request still compiles once.
 *
 * Schemas compile in strict mode: an unknown keyword ("requried") or format is an error naming
 * it, not a check that silently never runs.
 */
import { createHash } from 'node:crypto';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import canonicalizeModule from 'canonicalize';
import { InvalidInputError } from '../../errors.js';

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string | undefined;

export interface StructuredError {
  /** Where in the value, as people read it: `patient.contacts[2].phone`; '' for the value itself. */
  path: string;
  message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `format`, …). */
  keyword: string;
}

export interface StructuredResult {
  valid: boolean;
  errors: StructuredError[];
  /** Present (true) when more than MAX_ERRORS errors were found and the rest were dropped. */
  truncated?: true;
}

/** Errors reported per value; a huge array of bad items must not become a huge answer. */
export const MAX_ERRORS = 100;
/** Distinct schemas kept compiled (by content); the least recently used is dropped first. */
export const SCHEMA_CACHE_SIZE = 256;

let ajv: Ajv2020 | undefined;
function getAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictTypes: false, // "type" with "properties" but no "type: object" is common and harmless
      strictTuples: false,
      strictRequired: false,
      allowUnionTypes: true,
      // Do not register schemas by $id: two packs may reuse an $id for different schemas.
      addUsedSchema: false,
    });
    // ajv-formats is CommonJS; its default export arrives wrapped under ESM.
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
    addFormats(ajv);
  }
  return ajv;
}

const byIdentity = new WeakMap<object, ValidateFunction>();
const byHash = new Map<string, ValidateFunction>();

function hashOf(schema: object): string {
  let text: string | undefined;
  try {
    text = canonicalize(schema);
  } catch (e) {
    throw new InvalidInputError(`schema is not JSON (${(e as Error).message})`, { cause: e });
  }
  return createHash('sha256').update(text ?? '').digest('hex');
}

/** The compiled validator for a schema (compiled at most once per distinct schema). */
export function compileSchema(schema: object): ValidateFunction {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new InvalidInputError(`a JSON Schema must be an object, got ${schema === null ? 'null' : Array.isArray(schema) ? 'an array' : typeof schema}`);
  }
  const known = byIdentity.get(schema);
  if (known) return known;
  const hash = hashOf(schema);
  let fn = byHash.get(hash);
  if (fn) {
    byHash.delete(hash); // re-insert: most recently used last
  } else {
    try {
      fn = getAjv().compile(schema);
    } catch (e) {
      throw new InvalidInputError(`schema does not compile: ${(e as Error).message}`, { cause: e });
    }
    if (byHash.size >= SCHEMA_CACHE_SIZE) byHash.delete(byHash.keys().next().value!);
  }
  byHash.set(hash, fn);
  byIdentity.set(schema, fn);
  return fn;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** JSON Pointer segments → `a.b[2].c`, quoting keys that are not identifiers: `a["x-y"]`. */
export function readablePath(segments: readonly string[]): string {
  let out = '';
  for (const seg of segments) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describe(e: ErrorObject): StructuredError {
  const segs = pointerSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: readablePath([...segs, String(p.missingProperty)]), message: 'is required', keyword: e.keyword };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = String(p.additionalProperty ?? p.unevaluatedProperty);
      return { path: readablePath([...segs, extra]), message: 'is not an allowed field', keyword: e.keyword };
    }
    case 'enum':
      return { path: readablePath(segs), message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, keyword: e.keyword };
    case 'const':
      return { path: readablePath(segs), message: `must be ${JSON.stringify(p.allowedValue)}`, keyword: e.keyword };
    case 'format':
      return { path: readablePath(segs), message: `must be a valid ${String(p.format)}`, keyword: e.keyword };
    default:
      return { path: readablePath(segs), message: e.message ?? 'is invalid', keyword: e.keyword };
  }
}

/**
 * Checks `value` against `schema`. Throws InvalidInputError only when the schema itself is bad;
 * an invalid value is an answer (`valid: false` with readable errors), not an exception.
 */
export function validateStructured(schema: object, value: unknown): StructuredResult {
  const fn = compileSchema(schema);
  if (fn(value)) return { valid: true, errors: [] };
  const raw = fn.errors ?? [];
  const errors = raw.slice(0, MAX_ERRORS).map(describe);
  return raw.length > MAX_ERRORS ? { valid: false, errors, truncated: true } : { valid: false, errors };
}
