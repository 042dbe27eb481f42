/** US states, DC and territories: USPS codes and names, for the ZIP code and address detectors. */

export const US_STATE_CODES: ReadonlySet<string> = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI'.split(' '),
);

export const US_STATE_NAMES: ReadonlySet<string> = new Set([
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'district of columbia', 'florida',
  'georgia', 'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine', 'maryland', 'massachusetts',
  'michigan', 'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska', 'nevada', 'new hampshire', 'new jersey', 'new mexico',
  'new york', 'north carolina', 'north dakota', 'ohio', 'oklahoma', 'oregon', 'pennsylvania', 'rhode island', 'south carolina',
  'south dakota', 'tennessee', 'texas', 'utah', 'vermont', 'virginia', 'washington', 'west virginia', 'wisconsin', 'wyoming',
  'puerto rico', 'guam',
]);

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLetter = (c: number) => isUpper(c) || (c >= 97 && c <= 122);

/**
 * The start of a state (USPS code in capitals, or a name) ending right before `end` — skipping one
 * optional comma and spaces first — or -1. `NY 10001`, `New York, 10001`.
 */
export function stateBefore(text: string, end: number): number {
  let e = end;
  while (e > 0 && text.charCodeAt(e - 1) === 32) e--;
  if (e > 0 && text.charCodeAt(e - 1) === 44) e--;
  while (e > 0 && text.charCodeAt(e - 1) === 32) e--;
  if (e === end) return -1; // a state and a ZIP are separated by something
  // A two-letter code, standing alone.
  if (e >= 2 && isUpper(text.charCodeAt(e - 1)) && isUpper(text.charCodeAt(e - 2)) && (e === 2 || !isLetter(text.charCodeAt(e - 3)))) {
    if (US_STATE_CODES.has(text.slice(e - 2, e))) return e - 2;
  }
  // A name of one to three words.
  let s = e;
  for (let words = 0; words < 3; words++) {
    let w = s;
    while (w > 0 && isLetter(text.charCodeAt(w - 1))) w--;
    if (w === s) break;
    if (US_STATE_NAMES.has(text.slice(w, e).toLowerCase()) && (w === 0 || !isLetter(text.charCodeAt(w - 1)))) return w;
    if (w === 0 || text.charCodeAt(w - 1) !== 32) break;
    s = w - 1;
  }
  return -1;
}
