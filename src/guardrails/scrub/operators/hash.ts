/**
 * `hash[:N]`: `<ENTITY:hmac:…>` with the first N hex digits (default 16, i.e. 64 bits; 8 to 64) of
 * HMAC-SHA256 over the value, keyed by the tenant's hash key. Equal values in one tenant hash
 * alike, so records still join; without the key nobody can confirm a guessed value, and another
 * tenant's hashes do not match.
 */
import { createHmac } from 'node:crypto';
import { ConfigError, InvalidInputError } from '../../../errors.js';
import type { Operator } from '../types.js';

export const HASH_DEFAULT_HEX = 16;

export const hash: Operator<{ hex: number }> = {
  name: 'hash',
  parseParams(raw) {
    if (raw === undefined) return { hex: HASH_DEFAULT_HEX };
    if (!/^[0-9]{1,2}$/.test(raw) || Number(raw) < 8 || Number(raw) > 64) {
      throw new InvalidInputError(`operator "hash:${raw}": the digest length must be a whole number of hex digits from 8 to 64 (default ${HASH_DEFAULT_HEX})`);
    }
    return { hex: Number(raw) };
  },
  apply(value, { hex }, ctx) {
    if (!ctx.keys) throw new ConfigError('the "hash" operator needs scrub keys (ESQ_MASTER_KEY or a key file under ESQ_HOME)');
    const digest = createHmac('sha256', ctx.keys.key('hash', ctx.tenant)).update(value, 'utf8').digest('hex');
    return `<${ctx.entity}:hmac:${digest.slice(0, hex)}>`;
  },
};
