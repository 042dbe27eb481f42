/**
 * Hard negatives: identifiers and numbers that look like personal data but are not — order and
 * invoice numbers, parcel tracking numbers, versions, hashes, timestamps, Luhn-failing 16-digit
 * numbers, ISBNs, part numbers, prices, bare ZIP codes, years, percentages, room numbers.
 * Log timestamps and calendar dates are labelled don't-care (they are DATE_TIME, not errors).
 */
import type { Filler } from './fillers.js';
import type { Rng } from './rng.js';
import { luhnDigit } from './values/payment.js';

const HEX = '0123456789abcdef';
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** UPS 1Z: shipper (6), service (2), package (7) and a check digit over the 15 characters after "1Z". */
function ups(rng: Rng): string {
  const body = rng.chars(6, 'ABCDEFGHJKLMNPRSTUVWXY0123456789') + rng.pick(['01', '02', '03', '12', '13', '42']) + rng.digits(7);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const v = c <= '9' ? Number(c) : (c.charCodeAt(0) - 63) % 10;
    sum += i % 2 === 1 ? v * 2 : v;
  }
  return `1Z${body}${(10 - (sum % 10)) % 10}`;
}

/** A number that fails Luhn, written like a card (card-like prefixes and grouping). */
function luhnFailing(rng: Rng, length = 16): string {
  const prefix = rng.pick(['4', '51', '52', '55', '6011', '37', '2223']);
  const body = prefix + rng.digits(length - prefix.length - 1);
  const good = Number(luhnDigit(body));
  const digits = body + String((good + rng.int(1, 9)) % 10);
  const sep = rng.pick(['', ' ', '-']);
  return sep ? digits.replace(/(\d{4})(?=\d)/g, `$1${sep}`) : digits;
}

function isbn13(rng: Rng, hyphens: boolean): string {
  const body = `978${rng.int(0, 1)}${rng.digits(8)}`;
  let s = 0;
  for (let i = 0; i < 12; i++) s += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  const full = body + String((10 - (s % 10)) % 10);
  return hyphens ? `${full.slice(0, 3)}-${full[3]}-${full.slice(4, 7)}-${full.slice(7, 12)}-${full[12]}` : full;
}

function isbn10(rng: Rng): string {
  const body = `0${rng.digits(8)}`;
  let s = 0;
  for (let i = 0; i < 9; i++) s += Number(body[i]) * (10 - i);
  const c = (11 - (s % 11)) % 11;
  const full = body + (c === 10 ? 'X' : String(c));
  return `${full[0]}-${full.slice(1, 4)}-${full.slice(4, 9)}-${full[9]}`;
}

/** FedEx 12 or 15 digits; never a Luhn-valid Amex-shaped 15-digit number (that would be a card). */
function fedex(rng: Rng): string {
  for (;;) {
    const n = rng.pick([12, 12, 15]);
    const d = String(rng.int(1, 9)) + rng.digits(n - 1);
    if (n === 15 && /^3[47]/.test(d) && luhnDigit(d.slice(0, -1)) === d.at(-1)) continue;
    return n === 12 && rng.chance(0.5) ? d.replace(/(\d{4})(?=\d)/g, '$1 ') : d;
  }
}

export const NEGATIVE_FILLERS: Record<string, Filler> = {
  orderId: (r) => r.pick([`${r.digits(3)}-${r.digits(7)}-${r.digits(7)}`, `ORD-${r.int(2021, 2025)}-${r.digits(6)}`, `#A${r.digits(8)}`, `SO-${r.digits(6)}`, `${r.int(1, 9)}${r.digits(10)}`]),
  poNumber: (r) => r.pick([`PO-${r.digits(5)}`, `45${r.digits(8)}`, `PO${r.int(2021, 2025)}-${r.digits(4)}`]),
  invoiceNum: (r) => r.pick([`${r.int(1, 9)}${r.digits(8)}`, `${r.int(2021, 2025)}-${r.digits(7)}`, `INV/${r.int(21, 25)}/${r.digits(5)}`, `${r.digits(4)}-${r.digits(4)}`, `INV-${r.digits(6)}`]),
  creditMemo: (r) => `CM-${r.digits(6)}`,
  ups,
  fedex,
  usps: (r) => `${r.pick(['9400', '9205', '9407', '9270'])}${r.digits(18)}`.replace(/(\d{4})(?=\d)/g, '$1 '),
  semver: (r) => `${r.int(0, 24)}.${r.int(0, 40)}.${r.int(0, 30)}`,
  winBuild: (r) => `10.0.${r.pick([19041, 19044, 19045, 22000, 22621, 22631])}.${r.int(100, 4500)}`,
  chromeVer: (r) => `${r.int(100, 131)}.0.${r.int(4500, 6800)}.${r.int(10, 250)}`,
  kernel: (r) => `${r.int(4, 6)}.${r.int(0, 19)}.0-${r.int(20, 120)}-generic`,
  firmware: (r) => `${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}.${r.int(10, 250)}`,
  uuid: (r) => `${r.chars(8, HEX)}-${r.chars(4, HEX)}-4${r.chars(3, HEX)}-${r.pick(['8', '9', 'a', 'b'])}${r.chars(3, HEX)}-${r.chars(12, HEX)}`,
  sha40: (r) => r.chars(40, HEX),
  sha7: (r) => r.chars(7, HEX),
  sha256: (r) => r.chars(64, HEX),
  pid: (r) => String(r.int(100, 65000)),
  ms: (r) => String(r.int(3, 30000)),
  luhnFail: (r) => luhnFailing(r),
  isbn13: (r) => isbn13(r, r.chance(0.6)),
  isbn10: (r) => isbn10(r),
  part: (r) => r.pick([`74HC${r.int(100, 999)}N`, `${r.int(1, 9)}B-${r.digits(4)}-${r.digits(2)}A`, `SN74LS${r.digits(2)}`, `${r.digits(3)}-${r.digits(4)}-${r.digits(2)}`, `A${r.digits(4)}`]),
  sku: (r) => r.pick([`${r.digits(3)}-${r.digits(4)}-${r.digits(2)}`, `SKU${r.digits(7)}`, `${r.chars(3, 'ABCDEFGHJKLMNPRSTUVWXYZ')}-${r.digits(5)}`]),
  mpn: (r) => `${r.int(10, 99)}-${r.chars(6, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789')}-${r.chars(1, 'ABCDEFGHJKLMNPRSTUVWXYZ')}${r.digits(5)}`,
  eur: (r) => `${r.int(1, 99)}.${pad(r.int(0, 999), 3)},${pad(r.int(0, 99), 2)}`,
  zip: (r) => pad(r.int(1001, 99950), 5),
  year: (r) => String(r.int(1990, 2026)),
  yearFrom: (r) => String(r.int(1990, 2008)),
  yearTo: (r) => String(r.int(2010, 2026)),
  pctDec: (r) => `${r.int(0, 99)}.${r.int(0, 99)}%`,
  roomNum: (r) => `${r.int(1, 12)}${pad(r.int(1, 60), 2)}${r.pick(['', 'A', 'B'])}`,
  bed: (r) => String(r.int(1, 40)),
  zoom: (r) => `${r.int(800, 999)} ${r.digits(4)} ${r.digits(4)}`,
  passcode: (r) => r.digits(6),
  jira: (r) => `${r.pick(['ESQ', 'OPS', 'BILL', 'EHR'])}-${r.int(10, 9999)}`,
  cve: (r) => `CVE-${r.int(2014, 2025)}-${r.int(1000, 49999)}`,
  caseNum: (r) => `${pad(r.int(1, 9999999), 8)}`,
  epoch: (r) => String(r.int(1600000000, 1760000000)),
  epochMs: (r) => `${r.int(1600000000, 1760000000)}${r.digits(3)}`,
  hresult: (r) => `0x8007${r.chars(4, '0123456789ABCDEF')}`,
  color: (r) => `#${r.chars(6, HEX)}`,
  crc: (r) => r.chars(8, HEX),
  resolution: (r) => r.pick(['1920x1080', '2560 x 1440', '1280×720', '3840x2160']),
  flight: (r) => `${r.pick(['UA', 'DL', 'AA', 'BA', 'LH'])} ${r.int(10, 2999)}`,
  sample: (r) => String(r.int(12, 48000).toLocaleString('en-US')),
  pvalue: (r) => `0.0${r.digits(3)}`,
};

/** Sentences per category; each category's values come from the fillers above. */
export const NEGATIVE_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  'order-number': [
    'Order {#|no.|number} {$orderId} has shipped.',
    'Your order {$orderId} ({$qty} items, {$amount}) is confirmed.',
    'Re: order {$orderId} — backordered until {$date}.',
    'PO {$poNumber} approved by {purchasing|finance}.',
  ],
  invoice: [
    'Invoice {$invoice} is attached; total due {$amount}.',
    'Please reference invoice no. {$invoiceNum} on your remittance.',
    'Credit memo {$creditMemo} applied to invoice {$invoiceNum}.',
    'INVOICE {$invoiceNum} — NET 30',
  ],
  tracking: [
    'UPS tracking: {$ups}',
    'Shipped via FedEx, tracking number {$fedex}.',
    'USPS {$usps} — out for delivery.',
    'Your package {$ups} is delayed by weather.',
    'FedEx {$fedex} delivered, signed by front desk.',
  ],
  version: [
    'Upgraded the portal to v{$semver}.',
    'Windows build {$winBuild} is required.',
    'User agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/{$chromeVer} Safari/537.36',
    'Running node v{$semver} on kernel {$kernel}.',
    'Release {$semver}-rc.{$qty} fixes the export bug.',
    'Firmware version {$firmware} installed on {$qty} infusion pumps.',
  ],
  uuid: ['request_id={$uuid}', 'Correlation ID: {$uuid}', 'Attachment {$uuid}.pdf uploaded.', 'session {$uuid} expired'],
  'git-sha': ['commit {$sha40}', 'Merged {$sha7} into main.', 'Fixes a regression from {$sha7} (PR #{$pid}).', 'Image digest sha256:{$sha256}'],
  'log-timestamp': [
    '{?DATE_TIME:log} INFO  export-worker[{$pid}]: batch {$qty} complete in {$ms}ms',
    '{?DATE_TIME:log} WARN  retry {1|2|3|4}/5 for job {$uuid}',
    '{?DATE_TIME:log} ERROR upstream timeout after {$ms} ms (status=504)',
    '[{?DATE_TIME:log}] "GET /api/v2/health HTTP/1.1" 200 {$ms}',
    'ts={$epoch} level=info msg="cache warmed" entries={$pid}',
  ],
  'luhn-failing-16': [
    'Reference number: {$luhnFail}',
    'Voucher code {$luhnFail} has expired.',
    'Booking reference {$luhnFail}',
    'Confirmation: {$luhnFail}',
    'Print batch {$luhnFail} queued.',
  ],
  isbn: ['ISBN {$isbn13}', 'ISBN-10: {$isbn10}', 'Textbook (ISBN {$isbn13}) is on reserve at the library.', 'Order the {$year} edition, ISBN-13 {$isbn13}.'],
  'part-number': ['P/N {$part}', 'SKU {$sku}', 'Replacement part {$part}, qty {$qty}.', 'MPN {$mpn}', 'Model {$part} is discontinued; use {$sku}.'],
  'price-quantity': [
    'Subtotal {$amount:big}, tax {$amount}, total {$amount:big}.',
    '{$qty} x {$amount} = {$amount}',
    'Preis: EUR {$eur}',
    'Price dropped to {$amount} (was {$amount}).',
    'Qty: {$qty} @ {$amount} ea.',
    'Screen resolution {$resolution}, {$qty} monitors.',
  ],
  'zip-code': ['Warehouse {$zip} is at {$pct} capacity.', 'Sorting facility {$zip} reported {$qty} late trucks.', 'Route {$zip}: {$qty} stops remaining.'],
  year: ['Revenue grew every year from {$yearFrom} to {$yearTo}.', 'The FY{$year} budget was approved.', 'Class of {$year} reunion.', 'The {$year} audit found no issues.'],
  percentage: ['Uptime was {$pctDec} last quarter.', 'Error rate fell {$pctDec} week over week.', 'Response rate {$pct} (95% CI), n={$sample}, p={$pvalue}.'],
  'room-bed': ['Transferred to Room {$roomNum}, Bed {$bed}.', 'Ward {$qty}, bed {$bed} is being cleaned.', 'OR {$qty} is booked until {$time}.', 'Supplies for rooms {$roomNum}–{$roomNum}.'],
  'clinical-numbers': ['Vitals: {$vitals}.', 'Labs: {$labs}.', 'Continue {$med}.', 'Dose adjusted to {$qty} tablets daily.'],
  'meeting-id': ['Meeting ID: {$zoom}', 'Passcode: {$passcode}', 'Join the bridge: meeting {$zoom}, passcode {$passcode}.'],
  'ticket-id': ['See {$jira} for details.', 'Patched {$cve} in the last release.', 'Case {$caseNum} closed.', 'Zendesk #{$pid} merged.'],
  'misc-codes': ['HRESULT {$hresult}', 'Brand color {$color}.', 'crc32={$crc}', 'Flight {$flight} departs gate B{$bed}.', 'created_at: {$epochMs}'],
};
