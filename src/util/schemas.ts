/**
 * The published JSON Schemas (under `schemas/`), compiled once with ajv. One place, so the SDK,
 * CLI, API and loaders validate against exactly what editors autocomplete from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { packageRoot } from './package-root.js';

export type SchemaName = 'action' | 'rulebook' | 'pack' | 'policy-test' | 'envelope';

export function schemaPath(name: SchemaName): string {
  return join(packageRoot(), 'schemas', `${name}.schema.json`);
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
      // ajv-formats is CommonJS; its default export arrives wrapped under ESM.
      const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
      addFormats(ajv);
    }
    v = ajv.compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object);
    compiled.set(name, v);
  }
  return v;
}

/** `rules/3/when` → `rules[3].when`: how people read YAML paths. */
export function readablePath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
    .replace(/^\./, '');
}

/** A one-line message for an ajv error, e.g. `rules[2].effect: must be one of allow, block, …`. */
export function describeSchemaError(e: ErrorObject): string {
  const path = readablePath(e.instancePath) || '(top level)';
  if (e.keyword === 'enum') return `${path}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  if (e.keyword === 'additionalProperties') return `${path}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'required') return `${path}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
  return `${path}: ${e.message ?? 'is invalid'}`;
}

/** The instance path of an ajv error as YAML path segments (numbers for list indices). */
export function pathSegments(instancePath: string): Array<string | number> {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}
