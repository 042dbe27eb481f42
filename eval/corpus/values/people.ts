/** Names, street addresses and dates (birth dates labelled; other dates don't-care). */
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';
import { CITIES, STREETS, STREET_TYPES } from '../fillers.js';
import { type DocContext, who } from './context.js';

/** `{PERSON:role}` or `{PERSON:role-style}` with style first | last | full. */
export function personName(rng: Rng, ctx: DocContext, tag: string | undefined): Generated {
  const [role, style] = (tag ?? 'patient').split('-');
  const p = who(ctx, role);
  if (style === 'first') return { value: p.first, format: 'first' };
  if (style === 'last') return { value: p.last, format: 'last' };
  const form = rng.weighted([
    ['first last', 6],
    ['last, first', 2],
    ['first m. last', 2],
    ['LAST, FIRST', 1],
  ] as const);
  const value =
    form === 'first last' ? `${p.first} ${p.last}`
    : form === 'last, first' ? `${p.last}, ${p.first}`
    : form === 'first m. last' ? `${p.first} ${p.middle[0]}. ${p.last}`
    : `${p.last}, ${p.first}`.toUpperCase();
  return { value, format: form };
}

/** A US street address (`{LOCATION}`) or a city and state (`{LOCATION:city}`). */
export function location(rng: Rng, _ctx: DocContext, tag: string | undefined): Generated {
  const [city, state, zip3] = rng.pick(CITIES);
  if (tag === 'city') return { value: rng.chance(0.5) ? `${city}, ${state}` : city, format: 'city' };
  const street = `${rng.int(1, 9899)} ${rng.chance(0.2) ? `${rng.pick(['N', 'S', 'E', 'W'])} ` : ''}${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`;
  const unit = rng.chance(0.25) ? `${rng.pick([', Apt ', ' Apt. ', ', Unit ', ' #'])}${rng.int(1, 40)}${rng.pick(['', 'B', 'C'])}` : '';
  const zip = zipCode(rng, zip3).value;
  const sep = rng.pick([', ', '\u0020', ', ']);
  const value = `${street}${unit}${sep}${city}, ${state} ${zip}`;
  // The ZIP code is an identifier of its own (HIPAA Safe Harbor), labelled inside the address.
  const parts = [{ entity: 'US_ZIP_CODE', start: value.length - zip.length, end: value.length, format: zip.length > 5 ? 'zip+4' : 'zip5' }];
  return { value, format: unit ? 'street+unit' : 'street', parts };
}

/** A ZIP or ZIP+4 code of one of the pool's cities. */
export function zipCode(rng: Rng, prefix?: string): Generated {
  const zip3 = prefix ?? rng.pick(CITIES)[2];
  const plus4 = rng.chance(0.15);
  return { value: `${zip3}${rng.digits(2)}${plus4 ? `-${rng.digits(4)}` : ''}`, format: plus4 ? 'zip+4' : 'zip5' };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');
const ordinal = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

/** Writes a calendar date in one of the ways people and systems do. */
function writeDate(rng: Rng, y: number, m: number, d: number, allowShortYear: boolean): Generated {
  const mon = MONTHS[m - 1]!;
  const forms: Array<[string, string]> = [
    ['mm/dd/yyyy', `${pad(m)}/${pad(d)}/${y}`],
    ['m/d/yyyy', `${m}/${d}/${y}`],
    ['mm-dd-yyyy', `${pad(m)}-${pad(d)}-${y}`],
    ['iso', `${y}-${pad(m)}-${pad(d)}`],
    ['month d, yyyy', `${mon} ${d}, ${y}`],
    ['d month yyyy', `${d} ${mon} ${y}`],
    ['mon d, yyyy', `${mon.slice(0, 3)} ${d}, ${y}`],
    ['dd-mon-yyyy', `${pad(d)}-${mon.slice(0, 3)}-${y}`],
    ['ordinal', `${ordinal(d)} ${mon} ${y}`],
    ['dd.mm.yyyy', `${pad(d)}.${pad(m)}.${y}`],
  ];
  if (allowShortYear) forms.push(['mm/dd/yy', `${pad(m)}/${pad(d)}/${String(y).slice(2)}`]);
  const [format, value] = rng.pick(forms);
  return { value, format };
}

const MON3 = MONTHS.map((m) => m.slice(0, 3));

/** A log line's timestamp, in ISO 8601, Python logging or Apache access-log form. */
function logStamp(rng: Rng): Generated {
  const y = rng.int(2022, 2025);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  const t = `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
  const ms = String(rng.int(0, 999)).padStart(3, '0');
  const [format, value] = rng.pick([
    ['iso-z', `${y}-${pad(m)}-${pad(d)}T${t}.${ms}Z`],
    ['iso-offset', `${y}-${pad(m)}-${pad(d)}T${t}+00:00`],
    ['python', `${y}-${pad(m)}-${pad(d)} ${t},${ms}`],
    ['clf', `${pad(d)}/${MON3[m - 1]}/${y}:${t} +0000`],
  ] as const);
  return { value, format };
}

/**
 * `{DATE_TIME:dob}` a birth date; `recent` a date of care or billing; `time` a clock time;
 * `expiry` a card's MM/YY; `log` a log timestamp.
 */
export function dateTime(rng: Rng, _ctx: DocContext, tag: string | undefined): Generated {
  if (tag === 'log') return logStamp(rng);
  if (tag === 'expiry') return { value: `${pad(rng.int(1, 12))}/${rng.int(25, 31)}`, format: 'mm/yy' };
  if (tag === 'time') {
    const h = rng.int(0, 23);
    const mi = pad(rng.int(0, 59));
    return rng.chance(0.5) ? { value: `${pad(h)}:${mi}`, format: 'hh:mm' } : { value: `${((h + 11) % 12) + 1}:${mi} ${h < 12 ? 'AM' : 'PM'}`, format: 'h:mm am' };
  }
  const dob = tag === 'dob';
  const y = dob ? rng.int(1929, 2006) : rng.int(2022, 2025);
  const m = rng.int(1, 12);
  const d = rng.int(1, m === 2 ? 28 : [4, 6, 9, 11].includes(m) ? 30 : 31);
  return writeDate(rng, y, m, d, dob);
}
