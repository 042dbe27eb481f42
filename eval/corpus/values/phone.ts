/**
 * Telephone numbers that libphonenumber's full metadata calls valid: US in the common writings,
 * and UK, German, French, Spanish and Australian numbers in international form.
 */
import { parsePhoneNumberFromString, getExampleNumber, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import type { Rng } from '../rng.js';
import type { Generated } from '../template.js';

const US_AREA_CODES = [
  201, 206, 212, 213, 214, 215, 224, 248, 267, 301, 303, 305, 310, 312, 313, 317, 323, 347, 404, 410,
  412, 415, 425, 503, 512, 608, 612, 614, 615, 617, 646, 702, 704, 713, 718, 720, 773, 786, 801, 813,
  818, 857, 901, 916, 919, 954, 971, 973, 980, 984,
];

function usNumber(rng: Rng): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const area = rng.chance(0.06) ? rng.pick([800, 833, 844, 855, 866, 877, 888]) : rng.pick(US_AREA_CODES);
    const exchange = rng.int(200, 999);
    if (exchange % 100 === 11 || exchange === 555) continue;
    const n = `${area}${exchange}${rng.digits(4)}`;
    if (parsePhoneNumberFromString(n, 'US')?.isValid()) return n;
  }
  throw new Error('no valid US number drawn in 1,000 attempts (phone metadata changed?)');
}

const US_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['(xxx) xxx-xxxx', 4], ['xxx-xxx-xxxx', 4], ['xxx.xxx.xxxx', 2], ['+1 xxx xxx xxxx', 1], ['+1 (xxx) xxx-xxxx', 1],
  ['+1-xxx-xxx-xxxx', 1], ['1-xxx-xxx-xxxx', 1], ['xxx xxx xxxx', 1], ['(xxx)xxx-xxxx', 1], ['+1xxxxxxxxxx', 1],
];

function fillForm(form: string, digits: string): string {
  let i = 0;
  return form.replace(/x/g, () => digits[i++]!);
}

/** Fixed-line shapes per country (national significant number prefix and length) next to the mobile example. */
const INTL: Record<string, { code: string; fixed: Array<[string, number]> }> = {
  GB: { code: '44', fixed: [['2079', 10], ['1614', 10], ['1312', 10], ['1179', 10]] },
  DE: { code: '49', fixed: [['30', 10], ['89', 10], ['40', 10], ['221', 10], ['69', 10]] },
  FR: { code: '33', fixed: [['1', 9], ['4', 9], ['5', 9], ['2', 9]] },
  ES: { code: '34', fixed: [['91', 9], ['93', 9], ['96', 9]] },
  AU: { code: '61', fixed: [['2', 9], ['3', 9], ['7', 9], ['8', 9]] },
};

function intlNumber(rng: Rng, country: string): string {
  const spec = INTL[country]!;
  const mobile = getExampleNumber(country as CountryCode, examples)?.nationalNumber ?? '';
  for (let attempt = 0; attempt < 1000; attempt++) {
    // Keep the prefix that decides the number type; randomise the subscriber digits.
    const [prefix, len] = rng.chance(0.5) && mobile ? [mobile.slice(0, 3), mobile.length] : rng.pick(spec.fixed);
    const nsn = prefix + rng.digits(len - prefix.length);
    const p = parsePhoneNumberFromString(`+${spec.code}${nsn}`);
    if (p?.isValid()) return `+${spec.code}${nsn}`;
  }
  throw new Error(`no valid ${country} number drawn in 1,000 attempts (phone metadata changed?)`);
}

export function phone(rng: Rng, _ctx: unknown, tag: string | undefined): Generated {
  const intl = tag === 'intl' || (tag !== 'us' && rng.chance(0.3));
  if (!intl) {
    const form = rng.weighted(US_FORMS);
    return { value: fillForm(form, usNumber(rng)), format: `us ${form}` };
  }
  const country = rng.weighted([['GB', 3], ['DE', 3], ['FR', 3], ['ES', 1], ['AU', 1]] as const);
  const e164 = intlNumber(rng, country);
  const p = parsePhoneNumberFromString(e164)!;
  const form = rng.weighted([['international', 6], ['compact', 2], ['dashed', 1]] as const);
  const value = form === 'international' ? p.formatInternational() : form === 'compact' ? e164 : p.formatInternational().replace(/ /g, '-');
  return { value, format: `${country.toLowerCase()} ${form}` };
}
