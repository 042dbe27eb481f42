/**
 * Pseudonym tokens for `tokenize`: within one map the same entity value always gets the same
 * token (`<PERSON_1>`), a new value the next number. The map is the only way back, so it holds
 * the raw values: export it only to where the raw data itself may go.
 */
import { InvalidInputError } from '../../errors.js';
import { checkEntityName, DEFAULT_TENANT } from './types.js';

export interface TokenMapEntry {
  entity: string;
  value: string;
  token: string;
}

export interface TokenMapJSON {
  version: 1;
  tenant: string;
  entries: TokenMapEntry[];
}

/** A rendered token: `<ENTITY_N>`. Matches no other operator's output (`<ENTITY>`, `<E:hmac:…>`). */
export const TOKEN_PATTERN = /<([A-Za-z][A-Za-z0-9_.-]{0,63})_([1-9][0-9]{0,8})>/g;

const WHOLE_TOKEN = new RegExp(`^${TOKEN_PATTERN.source}$`);

const key = (entity: string, value: string): string => `${entity}\u0000${value}`;

export class TokenMap {
  readonly tenant: string;
  private readonly byValue = new Map<string, string>();
  private readonly byToken = new Map<string, TokenMapEntry>();
  private readonly counters = new Map<string, number>();

  constructor(tenant: string = DEFAULT_TENANT) {
    if (typeof tenant !== 'string' || tenant === '') throw new InvalidInputError('token map tenant must be a non-empty string');
    this.tenant = tenant;
  }

  get size(): number {
    return this.byToken.size;
  }

  /** The token for this value, assigning the entity's next number on first sight. */
  tokenFor(entity: string, value: string): string {
    const existing = this.byValue.get(key(entity, value));
    if (existing) return existing;
    checkEntityName(entity);
    const n = (this.counters.get(entity) ?? 0) + 1;
    const token = `<${entity}_${n}>`;
    this.add({ entity, value, token }, n);
    return token;
  }

  /** The raw value behind a token, or undefined when this map did not issue it. */
  valueOf(token: string): string | undefined {
    return this.byToken.get(token)?.value;
  }

  entries(): TokenMapEntry[] {
    return [...this.byToken.values()].map((e) => ({ ...e }));
  }

  toJSON(): TokenMapJSON {
    return { version: 1, tenant: this.tenant, entries: this.entries() };
  }

  /** Rebuilds a map from `toJSON()` output (parsed), checking it is one a map could have made. */
  static fromJSON(json: unknown): TokenMap {
    const bad = (why: string): never => {
      throw new InvalidInputError(`invalid token map: ${why}`);
    };
    if (typeof json !== 'object' || json === null) return bad('expected an object');
    const o = json as Record<string, unknown>;
    if (o.version !== 1) bad(`unsupported version ${JSON.stringify(o.version)} (expected 1)`);
    if (typeof o.tenant !== 'string' || o.tenant === '') bad('"tenant" must be a non-empty string');
    if (!Array.isArray(o.entries)) return bad('"entries" must be an array');
    const map = new TokenMap(o.tenant as string);
    o.entries.forEach((raw: unknown, i) => {
      const e = raw as Partial<TokenMapEntry> | null;
      if (typeof e !== 'object' || e === null || typeof e.entity !== 'string' || typeof e.value !== 'string' || typeof e.token !== 'string') {
        return bad(`entries[${i}] needs string "entity", "value" and "token"`);
      }
      const m = WHOLE_TOKEN.exec(e.token);
      if (!m || m[1] !== e.entity) bad(`entries[${i}].token "${e.token}" is not of the form <${e.entity}_N>`);
      if (map.byToken.has(e.token)) bad(`entries[${i}]: token ${e.token} appears twice`);
      if (map.byValue.has(key(e.entity, e.value))) bad(`entries[${i}]: the same ${e.entity} value has two tokens`);
      map.add({ entity: e.entity, value: e.value, token: e.token }, Number(m![2]));
    });
    return map;
  }

  private add(entry: TokenMapEntry, n: number): void {
    this.byValue.set(key(entry.entity, entry.value), entry.token);
    this.byToken.set(entry.token, entry);
    // After an import, numbering continues past the highest number seen, so no token is reissued.
    if (n > (this.counters.get(entry.entity) ?? 0)) this.counters.set(entry.entity, n);
  }
}

/**
 * Where token maps can be kept between requests (e.g. one per conversation). Only an in-memory
 * store exists for now; a database adapter should encrypt the maps, since they hold raw values.
 */
export interface TokenMapStore {
  load(tenant: string, documentId: string): Promise<TokenMap | undefined>;
  save(documentId: string, map: TokenMap): Promise<void>;
}

export class MemoryTokenMapStore implements TokenMapStore {
  private readonly maps = new Map<string, TokenMapJSON>();

  async load(tenant: string, documentId: string): Promise<TokenMap | undefined> {
    const json = this.maps.get(key(tenant, documentId));
    return json ? TokenMap.fromJSON(json) : undefined;
  }

  async save(documentId: string, map: TokenMap): Promise<void> {
    this.maps.set(key(map.tenant, documentId), map.toJSON());
  }
}
