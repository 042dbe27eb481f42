/** Structured-output guardrails: JSON Schema validation and parsing of LLM JSON output. */
export { validateStructured, compileSchema, readablePath, MAX_ERRORS, SCHEMA_CACHE_SIZE } from './validate.js';
export type { StructuredError, StructuredResult } from './validate.js';
export { parseJsonOutput } from './json-output.js';
