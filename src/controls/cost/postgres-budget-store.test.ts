import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { compileControls } from '../config.js';
import { budgetStoreConformance, raceProcesses } from './budget-conformance.js';
import { createCostController } from './controller.js';
import { BudgetUnavailable } from './errors.js';
import { pgGate, pgSql, PG_URL, schemaPool } from './pg-testing.js';
import { PostgresBudgetStore } from './postgres-budget-store.js';

const gate = await pgGate();
const schemas = schemaPool('esq_budget_');
after(() => (gate.available ? schemas.dropAll() : undefined));

describe('PostgreSQL budgets', { skip: gate.skip }, () => {
  budgetStoreConformance('PostgreSQL', {
    async fresh() {
      const schema = schemas.next();
      return {
        async open() {
          const s = new PostgresBudgetStore({ url: PG_URL, schema });
          await s.migrate();
          return s;
        },
      };
    },
  });

  it('two processes, 1,000 concurrent reservations on one budget: never over the limit, ledger = settled costs', async (t) => {
    const schema = schemas.next();
    const store = new PostgresBudgetStore({ url: PG_URL, schema });
    await store.migrate();
    // The database itself refuses any commit where spent + open holds would exceed the limit. Settled
    // costs here never exceed their hold, so a violation can only come from a race in the ledger.
    await pgSql('ALTER TABLE budget_ledger ADD CONSTRAINT test_never_over_limit CHECK (spent_micros + reserved_micros <= limit_micros)', schema);
    try {
      const race = await raceProcesses({
        storeArgs: ['postgres', PG_URL, schema],
        store,
        processes: 2,
        perProcess: 500,
        dailyMicros: 400_000,
        at: '2026-11-22T12:00:00.000Z',
        sample: async () => {
          const r = await pgSql("SELECT spent_micros + reserved_micros AS c FROM budget_ledger WHERE period = 'day:2026-11-22'", schema);
          return r.rows[0] ? Number(r.rows[0].c) : undefined;
        },
      });
      const settled = Number((await pgSql("SELECT coalesce(sum(actual_micros), 0) AS s FROM budget_reservations WHERE state = 'settled'", schema)).rows[0].s);
      assert.equal(settled, race.tallies.reduce((a, x) => a + x.settledMicros, 0), 'reservations table agrees with the ledger');
      assert.equal(Number((await pgSql("SELECT count(*) AS n FROM budget_reservations WHERE state = 'open'", schema)).rows[0].n), 0);
      t.diagnostic(race.summary);
    } finally {
      await store.close();
    }
  });

  it('fails closed with BudgetUnavailable when PostgreSQL cannot be reached', async () => {
    const store = new PostgresBudgetStore({ url: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const cost = createCostController({ store, budgets: compileControls({ cost: { budgets: [{ scope: 'tenant', daily: '1' }] } }).budgets });
    try {
      await assert.rejects(cost.reserve('acme', undefined, 100), (e: unknown) => e instanceof BudgetUnavailable && (e as { code: string }).code === 'ESQ_BUDGET_UNAVAILABLE');
      await assert.rejects(cost.settle('r1', 100), BudgetUnavailable);
      await assert.rejects(cost.utilisation('acme'), BudgetUnavailable);
    } finally {
      await store.close();
    }
  });
});
