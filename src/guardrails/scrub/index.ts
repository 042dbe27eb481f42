/** Public surface of the scrub guardrail (anonymization operators). */
export { scrub, resolveOverlaps } from './scrub.js';
export type { ScrubOptions, ScrubItem, ScrubResult } from './scrub.js';
export { deanonymize } from './deanonymize.js';
export type { DeanonymizeOptions, DeanonymizeItem, DeanonymizeResult } from './deanonymize.js';
export { OPERATOR_NAMES, getOperator, parseOperatorSpec, parseOperatorAssignment, parseOperatorAssignments, parseOperatorMap } from './registry.js';
export { TokenMap, MemoryTokenMapStore } from './token-map.js';
export type { TokenMapEntry, TokenMapJSON, TokenMapStore } from './token-map.js';
export { hkdfScrubKeys, loadScrubKeys, loadMasterKey, parseMasterKey, MASTER_KEY_MIN_BYTES } from './keys.js';
export type { ScrubKeys, ScrubKeyPurpose, LoadScrubKeysOptions } from './keys.js';
export { DEFAULT_TENANT } from './types.js';
export type { Operator, OperatorSpec, OperatorContext } from './types.js';
export { HASH_DEFAULT_HEX } from './operators/hash.js';
