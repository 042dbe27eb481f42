/** Clinical identifiers: NPI, DEA registration numbers, medical record numbers. */
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';
import { type DocContext, who } from './context.js';
import { luhnDigit } from './payment.js';

/** NPI: 9 digits starting 1 or 2, then the Luhn digit computed as if prefixed by 80840. */
export function npi(rng: Rng): Generated {
  const body = String(rng.int(1, 2)) + rng.digits(8);
  return { value: body + luhnDigit(`80840${body}`), format: 'plain' };
}

/** Registrant types: practitioners (A, B, F, G), mid-levels (M), distributors and others. */
const DEA_TYPES = 'ABFGMABFGMABCDEFGHJKLPRSTUX';

/** DEA number: type letter, the registrant's last-name initial, six digits and the check digit. */
export function dea(rng: Rng, ctx: DocContext, tag: string | undefined): Generated {
  const initial = (who(ctx, tag ?? 'provider').last[0] ?? 'X').toUpperCase();
  const six = rng.digits(6);
  const d = [...six].map(Number);
  const check = (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10;
  return { value: `${rng.pick([...DEA_TYPES])}${initial}${six}${check}`, format: 'dea' };
}

/** MRNs differ by hospital: plain digits (often zero-padded) or a letter prefix. */
export function mrn(rng: Rng): Generated {
  const form = rng.weighted([['7-digit', 2], ['8-digit', 3], ['zero-padded', 2], ['letter+digits', 3], ['10-digit', 1]] as const);
  switch (form) {
    case '7-digit':
      return { value: String(rng.int(1, 9)) + rng.digits(6), format: form };
    case '8-digit':
      return { value: String(rng.int(1, 9)) + rng.digits(7), format: form };
    case 'zero-padded':
      return { value: `00${rng.int(1, 9)}${rng.digits(5)}`, format: form };
    case 'letter+digits':
      return { value: `${rng.pick(['E', 'H', 'M', 'A', 'K'])}${rng.digits(rng.int(6, 8))}`, format: form };
    default:
      return { value: `0${rng.int(1, 9)}${rng.digits(8)}`, format: form };
  }
}
