import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pgGate, PG_URL, schemaPool } from '../cost/pg-testing.js';
import { rateStoreConformance } from './rate-conformance.js';
import { PostgresRateStore, SqliteRateStore } from './sql-rate-store.js';

const dir = mkdtempSync(join(tmpdir(), 'esq-rate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

// Two connections on one file: what two processes on one machine share.
rateStoreConformance('SQLite', {
  async fresh() {
    const path = join(dir, `r${n++}.db`);
    return {
      async open() {
        const s = new SqliteRateStore({ path });
        await s.migrate();
        return s;
      },
    };
  },
});

describe('SQLite rate store housekeeping', () => {
  it('prunes buckets that have refilled, keeping live ones', async () => {
    const s = new SqliteRateStore({ path: ':memory:' });
    await s.migrate();
    await s.take('old', 1_000, 10, 100);
    await s.take('live', 1_000, 10_000, 100_000);
    await s.prune(5_000);
    assert.deepEqual(await s.take('live', 5_000, 100_000, 100_000), { allowed: false, tatUs: 11_000 }, 'live bucket kept its state');
    assert.deepEqual(await s.take('old', 5_000, 100, 100), { allowed: true, tatUs: 5_100 }, 'pruned bucket starts full');
    await s.close();
  });
});

const gate = await pgGate();
const schemas = schemaPool('esq_rate_');
after(() => (gate.available ? schemas.dropAll() : undefined));

describe('PostgreSQL rate limits', { skip: gate.skip }, () => {
  // Two pools on one schema: two replicas of the service.
  rateStoreConformance('PostgreSQL', {
    async fresh() {
      const schema = schemas.next();
      return {
        async open() {
          const s = new PostgresRateStore({ url: PG_URL, schema, max: 4 });
          await s.migrate();
          return s;
        },
      };
    },
  });
});
