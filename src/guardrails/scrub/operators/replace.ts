/** `replace`: `<ENTITY>` by default, or the given text (`replace:[REDACTED]`). */
import { InvalidInputError } from '../../../errors.js';
import type { Operator } from '../types.js';

export const replace: Operator<{ with: string | undefined }> = {
  name: 'replace',
  parseParams(raw) {
    if (raw === '') throw new InvalidInputError('operator "replace:" needs a replacement after the colon; use "redact" to remove the value');
    return { with: raw };
  },
  apply: (_value, params, ctx) => params.with ?? `<${ctx.entity}>`,
};
