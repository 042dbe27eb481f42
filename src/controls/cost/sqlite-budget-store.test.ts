import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, it } from 'node:test';
import { budgetStoreConformance, raceProcesses } from './budget-conformance.js';
import { SqliteBudgetStore } from './sqlite-budget-store.js';

const dir = mkdtempSync(join(tmpdir(), 'esq-budget-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

budgetStoreConformance('SQLite', {
  async fresh() {
    const path = join(dir, `b${n++}.db`);
    return {
      async open() {
        const s = new SqliteBudgetStore({ path });
        await s.migrate();
        return s;
      },
    };
  },
});

it('SQLite: two processes sharing the file never overspend, and the ledger equals settled costs', async (t) => {
  const path = join(dir, 'race.db');
  const store = new SqliteBudgetStore({ path });
  await store.migrate();
  // The database refuses any write where spent + open holds would exceed the limit (see the PostgreSQL twin).
  const guard = new Database(path);
  guard.exec(`
    CREATE TRIGGER test_never_over_i BEFORE INSERT ON budget_ledger WHEN NEW.spent_micros + NEW.reserved_micros > NEW.limit_micros BEGIN SELECT RAISE(ABORT, 'over limit'); END;
    CREATE TRIGGER test_never_over_u BEFORE UPDATE ON budget_ledger WHEN NEW.spent_micros + NEW.reserved_micros > NEW.limit_micros BEGIN SELECT RAISE(ABORT, 'over limit'); END;`);
  const read = guard.prepare("SELECT spent_micros + reserved_micros AS c FROM budget_ledger WHERE period = 'day:2026-11-22'");
  try {
    const race = await raceProcesses({
      storeArgs: ['sqlite', path, '-'],
      store,
      processes: 2,
      perProcess: 150,
      dailyMicros: 100_000,
      at: '2026-11-22T12:00:00.000Z',
      sample: async () => (read.get() as { c: number } | undefined)?.c,
    });
    t.diagnostic(race.summary);
  } finally {
    guard.close();
    await store.close();
  }
});
