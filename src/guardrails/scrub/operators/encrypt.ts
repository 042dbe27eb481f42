/** `encrypt`: reversible with the key; see ../cipher.ts for the token format. */
import { ConfigError } from '../../../errors.js';
import { seal } from '../cipher.js';
import { noParams, type Operator } from '../types.js';

export const encrypt: Operator<void> = {
  name: 'encrypt',
  parseParams: (raw) => noParams('encrypt', raw),
  apply(value, _params, ctx) {
    if (!ctx.keys) throw new ConfigError('the "encrypt" operator needs scrub keys (ESQ_MASTER_KEY or a key file under ESQ_HOME)');
    return seal(ctx.keys, ctx.tenant, ctx.entity, value);
  },
};
