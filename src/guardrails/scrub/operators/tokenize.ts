/** `tokenize`: consistent pseudonyms (`<PERSON_1>`, `<PERSON_2>`…) recorded in a token map. */
import { InvalidInputError } from '../../../errors.js';
import { noParams, type Operator } from '../types.js';

export const tokenize: Operator<void> = {
  name: 'tokenize',
  parseParams: (raw) => noParams('tokenize', raw),
  apply(value, _params, ctx) {
    if (!ctx.tokenMap) throw new InvalidInputError('the "tokenize" operator needs a token map');
    // A map carries raw values of one tenant; letting another tenant's text draw from it would leak them.
    if (ctx.tokenMap.tenant !== ctx.tenant) {
      throw new InvalidInputError(`token map belongs to tenant "${ctx.tokenMap.tenant}", not "${ctx.tenant}"`);
    }
    return ctx.tokenMap.tokenFor(ctx.entity, value);
  },
};
