/**
 * Cell-size suppression for aggregate tables, after CMS's cell-size suppression policy: no cell
 * that counts 1 to 10 people (or events about them) may be shown. Zero is shown by default, as
 * CMS allows; set `min: 0` to suppress zeros too.
 *
 * Complementary suppression (`complementary: true`). A published total lets anyone recover a
 * lone hidden cell: total − the visible cells. The rule implemented here:
 *   - Groups: each row's count cells form a row group; each count field's cells across the rows
 *     form a column group (split by the values of `groupBy` fields, when given).
 *   - Whenever a group holds exactly one suppressed cell, the smallest other non-zero visible
 *     cell of that group is suppressed too (ties: the first). Zero is never the complement,
 *     because a hidden zero is still known to be zero when zeros are shown elsewhere.
 *   - Repeat until no group holds exactly one suppressed cell: a complement can itself be the
 *     lone suppression of its column (or row).
 * Then every group holds zero or at least two hidden cells, so a row or column total yields only
 * their sum. Groups where no complement exists are reported in `unprotected`.
 * Limits: this stops recovery from one total at a time. It does not solve the full
 * linear-programming attack over many overlapping totals, nor suppress percentages or rates
 * computed from small counts; derive those after suppression.
 */
import { ConfigError, InvalidInputError } from '../../errors.js';

export type Row = Record<string, unknown>;

export interface SuppressOptions {
  /** Fields holding counts. Default: fields whose name reads as a count (see isCountFieldName). */
  countFields?: string[];
  /** Smallest count suppressed. Default 1 (zero is shown). */
  min?: number;
  /** Largest count suppressed. Default 10 (CMS: cells of 10 or fewer). */
  max?: number;
  /** What a suppressed cell becomes: null (default) or a label such as "<11". */
  replacement?: null | string;
  /** Also suppress complementary cells so no single total recovers a hidden one. Default false. */
  complementary?: boolean;
  /** Fields whose values split rows into separate column groups (e.g. ["state"]). Default: one group. */
  groupBy?: string[];
}

export type SuppressReason = 'small-cell' | 'complementary';

export interface SuppressedCell {
  /** Index of the row in the input. */
  row: number;
  field: string;
  reason: SuppressReason;
}

export interface SuppressResult {
  /** New row objects; the input is not modified. */
  rows: Row[];
  suppressed: SuppressedCell[];
  /**
   * With `complementary`: hidden cells still alone in a group of several cells, because the group
   * had no non-zero visible cell left to hide with them. A total over such a group recovers them;
   * suppress that total elsewhere or drop the group.
   */
  unprotected: Array<{ row: number; field: string }>;
}

export const DEFAULT_MIN = 1;
export const DEFAULT_MAX = 10;

const FIRST_WORDS = new Set(['n', 'num', 'number', 'count', 'cnt']);
const LAST_WORDS = new Set([
  'n', 'count', 'counts', 'cnt', 'total', 'patients', 'persons', 'people', 'individuals', 'members', 'beneficiaries', 'enrollees',
  'cases', 'deaths', 'births', 'admissions', 'discharges', 'visits', 'encounters', 'stays', 'episodes', 'services', 'claims',
  'prescriptions', 'procedures', 'residents', 'veterans', 'subjects', 'participants', 'respondents', 'users',
]);

/** `patient_count`, `n`, `numVisits`, `total`, `n_female`: a name that reads as a count. */
export function isCountFieldName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return false;
  return FIRST_WORDS.has(words[0]!) || LAST_WORDS.has(words[words.length - 1]!);
}

const INTEGER_TEXT = /^\s*\d+\s*$/;

/** A count value: a finite number, or a string of digits (tables read from CSV). */
function toCount(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && INTEGER_TEXT.test(v)) return Number(v);
  return undefined;
}

const KNOWN = ['countFields', 'min', 'max', 'replacement', 'complementary', 'groupBy'];

function checkOptions(opts: SuppressOptions): Required<Omit<SuppressOptions, 'countFields'>> & { countFields?: string[] } {
  if (opts === null || typeof opts !== 'object') throw new ConfigError('suppression options must be an object');
  const unknown = Object.keys(opts).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new ConfigError(`unknown suppression option ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${KNOWN.join(', ')})`);
  const min = opts.min ?? DEFAULT_MIN;
  const max = opts.max ?? DEFAULT_MAX;
  if (typeof min !== 'number' || !Number.isFinite(min) || min < 0) throw new ConfigError(`min must be a number ≥ 0, got ${JSON.stringify(opts.min)}`);
  if (typeof max !== 'number' || !Number.isFinite(max) || max < min) throw new ConfigError(`max must be a number ≥ min (${min}), got ${JSON.stringify(opts.max)}`);
  const replacement = opts.replacement === undefined ? null : opts.replacement;
  if (replacement !== null && typeof replacement !== 'string') throw new ConfigError(`replacement must be null or a string, got ${typeof replacement}`);
  const complementary = opts.complementary ?? false;
  if (typeof complementary !== 'boolean') throw new ConfigError('complementary must be true or false');
  const strings = (v: unknown, name: string) => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) throw new ConfigError(`${name} must be a list of field names`);
    return v as string[];
  };
  const countFields = strings(opts.countFields, 'countFields');
  const groupBy = strings(opts.groupBy, 'groupBy') ?? [];
  return countFields ? { min, max, replacement, complementary, groupBy, countFields } : { min, max, replacement, complementary, groupBy };
}

interface Cell {
  row: number;
  field: string;
  value: number;
  reason?: SuppressReason;
}

/** The count fields of a table: the ones asked for, or those whose name reads as a count. */
function countFieldsOf(rows: readonly Row[], asked: string[] | undefined): string[] {
  if (asked) return asked;
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (seen.has(k) || toCount(v) === undefined || !isCountFieldName(k)) continue;
      seen.add(k);
      fields.push(k);
    }
  }
  return fields;
}

/**
 * Hides the smallest non-zero visible cell of each group that holds exactly one hidden cell,
 * until none does; returns the hidden cells still alone in a group of several (no complement).
 */
function complement(groups: Cell[][]): Cell[] {
  let changed = true;
  while (changed) {
    changed = false;
    for (const g of groups) {
      if (g.filter((c) => c.reason).length !== 1) continue;
      let pick: Cell | undefined;
      for (const c of g) if (!c.reason && c.value !== 0 && (!pick || c.value < pick.value)) pick = c;
      if (pick) {
        pick.reason = 'complementary';
        changed = true;
      }
    }
  }
  const alone = new Set<Cell>();
  for (const g of groups) {
    const hidden = g.filter((c) => c.reason);
    if (hidden.length === 1 && g.length > 1) alone.add(hidden[0]!);
  }
  return [...alone];
}

export function suppressSmallCells(rows: readonly Row[], options: SuppressOptions = {}): SuppressResult {
  if (!Array.isArray(rows)) throw new InvalidInputError('rows must be a list of objects');
  rows.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new InvalidInputError(`rows[${i}] must be an object`);
  });
  const o = checkOptions(options);
  const fields = countFieldsOf(rows, o.countFields);

  const byRow: Cell[][] = rows.map(() => []);
  const byColumn = new Map<string, Cell[]>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const groupKey = JSON.stringify(o.groupBy.map((g) => r[g] ?? null));
    for (const field of fields) {
      const value = toCount(r[field]);
      if (value === undefined) continue;
      const cell: Cell = { row: i, field, value };
      if (value >= o.min && value <= o.max) cell.reason = 'small-cell';
      byRow[i]!.push(cell);
      const key = `${field}\u0000${groupKey}`;
      const col = byColumn.get(key);
      if (col) col.push(cell);
      else byColumn.set(key, [cell]);
    }
  }

  const unprotected = o.complementary ? complement([...byRow, ...byColumn.values()]) : [];

  const out = rows.map((r) => ({ ...r }));
  const suppressed: SuppressedCell[] = [];
  for (const cells of byRow) {
    for (const c of cells) {
      if (!c.reason) continue;
      out[c.row]![c.field] = o.replacement;
      suppressed.push({ row: c.row, field: c.field, reason: c.reason });
    }
  }
  return { rows: out, suppressed, unprotected: unprotected.map((c) => ({ row: c.row, field: c.field })) };
}
