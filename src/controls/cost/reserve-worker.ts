/**
 * Child process for the multi-process concurrency tests: `count` reservations against one tenant
 * budget, `concurrency` at a time; each admitted one is settled (at most its estimate) or released.
 * Prints its tallies as JSON. Run by the *-budget-store tests, never imported.
 *   reserve-worker postgres URL SCHEMA | sqlite PATH -, then: tag count concurrency seed daily monthly at
 */
import { compileControls } from '../config.js';
import { createCostController } from './controller.js';
import { PostgresBudgetStore } from './postgres-budget-store.js';
import { SqliteBudgetStore } from './sqlite-budget-store.js';

const [kind, where, schema, tag, countArg, concurrencyArg, seedArg, daily, monthly, at] = process.argv.slice(2);
const count = Number(countArg);
const store = kind === 'postgres' ? new PostgresBudgetStore({ url: where!, schema: schema!, max: 8 }) : new SqliteBudgetStore({ path: where! });
const controls = compileControls({ cost: { budgets: [{ scope: 'tenant', daily, monthly }] } });
const clock = () => new Date(at!);
const cost = createCostController({ store, budgets: controls.budgets, clock, ids: (() => { let i = 0; return () => `${tag}-${i++}`; })() });

let seed = Number(seedArg);
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const tally = { accepted: 0, refused: 0, settled: 0, released: 0, settledMicros: 0, errors: [] as string[] };
let next = 0;
async function lane(): Promise<void> {
  while (next < count) {
    next++;
    const amount = 1 + Math.floor(rand() * 2000);
    const settleIt = rand() < 0.8;
    const actual = Math.floor(amount * (0.5 + rand() / 2));
    try {
      const r = await cost.reserve('acme', undefined, amount);
      if (!r.ok) {
        tally.refused++;
        continue;
      }
      tally.accepted++;
      await new Promise((res) => setTimeout(res, Math.floor(rand() * 3)));
      if (settleIt) {
        await cost.settle(r.reservation.id, actual);
        tally.settled++;
        tally.settledMicros += actual;
      } else {
        await cost.release(r.reservation.id);
        tally.released++;
      }
    } catch (e) {
      tally.errors.push((e as Error).message);
    }
  }
}
await Promise.all(Array.from({ length: Number(concurrencyArg) }, lane));
await store.close();
process.stdout.write(JSON.stringify(tally));
