/** Vehicle identification numbers with a correct position-9 check digit. */
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';

/** Real world-manufacturer identifiers: Honda, Ford, Tesla, BMW, Toyota, VW Mexico, Hyundai, Chevrolet, Nissan, Subaru. */
const WMI = ['1HG', '1FT', '5YJ', 'WBA', 'JTD', '3VW', 'KMH', '1G1', '1N4', 'JF2', '2T1', 'WVW'];
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';
const TRANSLIT = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const TRANSLIT_VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9];
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export function vin(rng: Rng): Generated {
  // Positions 12–17: a serial, numeric for the last five at high-volume plants.
  const chars = [...`${rng.pick(WMI)}${rng.chars(5, VIN_CHARS)}0${rng.chars(1, YEAR_CODES)}${rng.chars(2, VIN_CHARS)}${rng.digits(5)}`];
  let sum = 0;
  chars.forEach((c, i) => {
    const v = /\d/.test(c) ? Number(c) : TRANSLIT_VALUES[TRANSLIT.indexOf(c)]!;
    sum += v * WEIGHTS[i]!;
  });
  const r = sum % 11;
  chars[8] = r === 10 ? 'X' : String(r);
  const value = chars.join('');
  return rng.chance(0.9) ? { value, format: 'upper' } : { value: value.toLowerCase(), format: 'lower' };
}
