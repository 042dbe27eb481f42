import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, InvalidInputError } from '../../errors.js';
import { isCountFieldName, suppressSmallCells } from './small-cells.js';
import type { Row } from './small-cells.js';

describe('isCountFieldName', () => {
  for (const name of ['count', 'n', 'total', 'patients', 'patient_count', 'numVisits', 'n_female', 'death-count', 'Beneficiaries']) {
    it(`${name} reads as a count`, () => assert.equal(isCountFieldName(name), true));
  }
  for (const name of ['total_cost', 'state', 'year', 'mean_age', 'countyName', 'rate', 'name']) {
    it(`${name} does not`, () => assert.equal(isCountFieldName(name), false));
  }
});

describe('suppressSmallCells', () => {
  const table: Row[] = [
    { county: 'Adams', year: 2023, patients: 4, deaths: 0, total_cost: 7 },
    { county: 'Baker', year: 2023, patients: 11, deaths: 10, total_cost: 9 },
    { county: 'Clark', year: 2023, patients: 250, deaths: 1, total_cost: 3 },
  ];

  it('hides counts from 1 to 10, keeps 0 and 11+, and leaves non-count fields alone', () => {
    const r = suppressSmallCells(table);
    assert.deepEqual(r.rows, [
      { county: 'Adams', year: 2023, patients: null, deaths: 0, total_cost: 7 },
      { county: 'Baker', year: 2023, patients: 11, deaths: null, total_cost: 9 },
      { county: 'Clark', year: 2023, patients: 250, deaths: null, total_cost: 3 },
    ]);
    assert.deepEqual(r.suppressed, [
      { row: 0, field: 'patients', reason: 'small-cell' },
      { row: 1, field: 'deaths', reason: 'small-cell' },
      { row: 2, field: 'deaths', reason: 'small-cell' },
    ]);
  });

  it('returns new objects and leaves the input untouched', () => {
    const before = structuredClone(table);
    const r = suppressSmallCells(table, { replacement: '<11' });
    assert.deepEqual(table, before);
    assert.notEqual(r.rows[0], table[0]);
    assert.equal(r.rows[0]!.patients, '<11');
  });

  it('is configurable: zero suppressed with min 0, another threshold, explicit fields, counts as text', () => {
    const rows = [{ a: 0, b: '5', c: 20, label: 3 }];
    assert.deepEqual(suppressSmallCells(rows, { countFields: ['a', 'b', 'c'], min: 0 }).rows, [{ a: null, b: null, c: 20, label: 3 }]);
    assert.deepEqual(suppressSmallCells(rows, { countFields: ['a', 'b', 'c'], max: 25 }).rows, [{ a: 0, b: null, c: null, label: 3 }]);
    assert.deepEqual(suppressSmallCells(rows, { countFields: ['label'] }).rows, [{ a: 0, b: '5', c: 20, label: null }]);
  });

  const badOptions: Array<[string, object, RegExp]> = [
    ['max below min', { min: 5, max: 2 }, /max must be a number ≥ min \(5\)/],
    ['negative min', { min: -1 }, /min must be a number ≥ 0/],
    ['unknown option', { complimentary: true }, /unknown suppression option "complimentary"/],
    ['numeric replacement', { replacement: 0 }, /replacement must be null or a string/],
    ['fields not a list', { countFields: 'n' }, /countFields must be a list of field names/],
  ];
  for (const [name, opts, message] of badOptions) {
    it(`rejects ${name} (ConfigError)`, () => assert.throws(() => suppressSmallCells(table, opts as never), (e: unknown) => e instanceof ConfigError && message.test(e.message)));
  }
  it('rejects rows that are not objects (InvalidInputError)', () => {
    assert.throws(() => suppressSmallCells([{ n: 1 }, 5] as never), (e: unknown) => e instanceof InvalidInputError && /rows\[1\] must be an object/.test(e.message));
  });
});

describe('complementary suppression', () => {
  // Cases by county and sex, with row totals and a column-total row, as a report would publish.
  const components = ['female', 'male'] as const;
  const table: Row[] = [
    { county: 'Adams', female: 3, male: 40, total: 43 },
    { county: 'Baker', female: 25, male: 31, total: 56 },
    { county: 'Clark', female: 60, male: 18, total: 78 },
    { county: 'Dunn', female: 14, male: 22, total: 36 },
    { county: 'All', female: 102, male: 111, total: 213 },
  ];
  const counties = table.length - 1;
  const fields = ['female', 'male', 'total'];

  /** What an attacker recovers exactly: a hidden cell that is the only unknown in a total. */
  function recover(rows: Row[]): Array<{ row: number; field: string; value: number }> {
    const got: Array<{ row: number; field: string; value: number }> = [];
    const known = (v: unknown): v is number => typeof v === 'number';
    rows.slice(0, counties).forEach((r, i) => {
      // Row: total = female + male.
      const hidden = components.filter((f) => !known(r[f]));
      if (known(r.total) && hidden.length === 1) {
        const other = components.find((f) => f !== hidden[0])!;
        got.push({ row: i, field: hidden[0]!, value: r.total - (r[other] as number) });
      }
    });
    for (const f of fields) {
      // Column: the "All" row = the sum of the counties.
      const all = rows[counties]![f];
      const hidden = rows.slice(0, counties).map((r, i) => [r, i] as const).filter(([r]) => !known(r[f]));
      if (known(all) && hidden.length === 1) {
        const sumKnown = rows.slice(0, counties).reduce((s, r) => s + (known(r[f]) ? r[f] : 0), 0);
        got.push({ row: hidden[0]![1], field: f, value: all - sumKnown });
      }
    }
    return got;
  }

  it('without it, totals recover the hidden cell (the attack works)', () => {
    const r = suppressSmallCells(table, { countFields: fields });
    assert.deepEqual(r.suppressed, [{ row: 0, field: 'female', reason: 'small-cell' }]);
    assert.ok(recover(r.rows).some((x) => x.row === 0 && x.field === 'female' && x.value === 3));
  });

  it('with it, no total recovers any hidden cell', () => {
    const r = suppressSmallCells(table, { countFields: fields, complementary: true });
    assert.deepEqual(recover(r.rows), []);
    assert.deepEqual(r.unprotected, []);
    const primary = r.suppressed.filter((s) => s.reason === 'small-cell');
    assert.deepEqual(primary, [{ row: 0, field: 'female', reason: 'small-cell' }]);
    // Every row and column now holds zero or at least two hidden cells.
    const hiddenIn = (pred: (s: { row: number; field: string }) => boolean) => r.suppressed.filter(pred).length;
    for (let i = 0; i < table.length; i++) assert.notEqual(hiddenIn((s) => s.row === i), 1, `row ${i}`);
    for (const f of fields) assert.notEqual(hiddenIn((s) => s.field === f), 1, `column ${f}`);
  });

  it('hides the smallest other non-zero cell of the group, never a zero', () => {
    const r = suppressSmallCells([{ a: 5, b: 0, c: 30, d: 20 }], { complementary: true, countFields: ['a', 'b', 'c', 'd'] });
    assert.deepEqual(r.suppressed, [
      { row: 0, field: 'a', reason: 'small-cell' },
      { row: 0, field: 'd', reason: 'complementary' },
    ]);
  });

  it('reports a hidden cell it cannot protect', () => {
    const r = suppressSmallCells([{ a: 5, b: 0 }], { complementary: true, countFields: ['a', 'b'] });
    assert.deepEqual(r.unprotected, [{ row: 0, field: 'a' }]);
  });

  it('forms column groups per groupBy value', () => {
    const rows = [
      { state: 'OR', n: 4 },
      { state: 'OR', n: 50 },
      { state: 'WA', n: 12 },
      { state: 'WA', n: 13 },
    ];
    const r = suppressSmallCells(rows, { complementary: true, groupBy: ['state'] });
    assert.deepEqual(r.suppressed.map((s) => [s.row, s.reason]), [
      [0, 'small-cell'],
      [1, 'complementary'],
    ]);
  });
});
