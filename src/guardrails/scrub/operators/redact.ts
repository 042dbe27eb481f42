/** `redact`: removes the value entirely. */
import { noParams, type Operator } from '../types.js';

export const redact: Operator<void> = {
  name: 'redact',
  parseParams: (raw) => noParams('redact', raw),
  apply: () => '',
};
