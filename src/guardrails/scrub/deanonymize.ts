/**
 * Reverses the reversible operators in a text: `ENC[v1:…]` tokens are decrypted (the tenant and
 * entity must match the associated data) and `<ENTITY_N>` tokens are looked up in the token map.
 * One left-to-right pass, so a restored value is never itself read as a token.
 */
import { ConfigError, InvalidInputError } from '../../errors.js';
import { ENC_TOKEN_PATTERN, open } from './cipher.js';
import type { ScrubKeys } from './keys.js';
import { TOKEN_PATTERN, type TokenMap } from './token-map.js';
import { DEFAULT_TENANT } from './types.js';

export interface DeanonymizeOptions {
  /** Default: DEFAULT_TENANT. Must be the tenant the text was scrubbed for. */
  tenant?: string;
  /** Needed when the text holds ENC tokens. */
  keys?: ScrubKeys;
  /** Without one, `<ENTITY_N>` tokens are left as they are. */
  tokenMap?: TokenMap;
}

export interface DeanonymizeItem {
  entity: string;
  /** Span of the restored value in the output text, end exclusive. */
  start: number;
  end: number;
  operator: 'encrypt' | 'tokenize';
}

export interface DeanonymizeResult {
  text: string;
  items: DeanonymizeItem[];
  /** `<ENTITY_N>` tokens the map did not issue (e.g. invented by a model), left in the text. */
  unresolved: string[];
}

const ANY_TOKEN = new RegExp(`${ENC_TOKEN_PATTERN.source}|${TOKEN_PATTERN.source}`, 'g');

export function deanonymize(text: string, options: DeanonymizeOptions = {}): DeanonymizeResult {
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const { keys, tokenMap } = options;
  if (tokenMap && tokenMap.tenant !== tenant) throw new InvalidInputError(`token map belongs to tenant "${tokenMap.tenant}", not "${tenant}"`);

  const parts: string[] = [];
  const items: DeanonymizeItem[] = [];
  const unresolved: string[] = [];
  let cursor = 0;
  let outLength = 0;
  const emit = (start: number, end: number, value: string, entity: string, operator: DeanonymizeItem['operator']): void => {
    const before = text.slice(cursor, start);
    parts.push(before, value);
    outLength += before.length;
    items.push({ entity, start: outLength, end: outLength + value.length, operator });
    outLength += value.length;
    cursor = end;
  };

  for (const m of text.matchAll(ANY_TOKEN)) {
    const start = m.index;
    const end = start + m[0].length;
    const [, encEntity, payload, tokEntity] = m;
    if (encEntity !== undefined && payload !== undefined) {
      if (!keys) throw new ConfigError('the text holds encrypted values (ENC[v1:…]) but no scrub keys were given');
      try {
        emit(start, end, open(keys, tenant, encEntity, payload), encEntity, 'encrypt');
      } catch (e) {
        if (e instanceof InvalidInputError) throw new InvalidInputError(`${e.message} (at offset ${start})`, { cause: e.cause });
        throw e;
      }
    } else if (tokenMap && tokEntity !== undefined) {
      const value = tokenMap.valueOf(m[0]);
      if (value === undefined) unresolved.push(m[0]);
      else emit(start, end, value, tokEntity, 'tokenize');
    }
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), items, unresolved };
}
