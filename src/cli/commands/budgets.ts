import type { Command } from 'commander';
import pc from 'picocolors';
import { settingsFromEnv } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { loadPackSync } from '../../policy/pack-files.js';
import { openControls } from '../../server/controls.js';
import { createMetrics } from '../../server/metrics.js';
import { logger } from '../../util/log.js';
import { printJson } from '../io.js';

const dollars = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;

export function registerBudgets(program: Command): void {
  program
    .command('budgets')
    .description("Show budget utilisation for a tenant (the pack's settings.cost, the shared or embedded ledger)")
    .option('-t, --tenant <id>', 'tenant', 'default')
    .option('-p, --pack <name|dir>', 'policy pack (default: ESQ_PACK or hipaa)')
    .option('--json', 'print as JSON')
    .action(async (o: { tenant: string; pack?: string; json?: boolean }) => {
      const s = settingsFromEnv();
      const ps = loadPackSync(o.pack ?? s.pack);
      const controls = await openControls({ home: s.home, metrics: createMetrics(), log: logger(), ...(process.env.ESQ_DATABASE_URL ? { databaseUrl: process.env.ESQ_DATABASE_URL } : {}) });
      try {
        const c = controls.for(ps);
        if (!c?.hasBudgets) throw new InvalidInputError(`pack ${ps.name} configures no budgets (settings.cost.budgets)`);
        const u = await c.cost.utilisation(o.tenant);
        if (o.json) return printJson({ tenant: o.tenant, ...u });
        process.stdout.write(`${pc.bold(o.tenant)}  utilisation ${(u.utilisation * 100).toFixed(1)} %  throttle ×${u.throttleFactor.toFixed(2)}\n`);
        for (const l of u.lines) {
          const pct = l.utilisation * 100;
          const colour = pct >= 95 ? pc.red : pct >= 80 ? pc.yellow : pc.green;
          process.stdout.write(`  ${l.budget.padEnd(24)} ${l.period.padEnd(10)} ${colour(`${pct.toFixed(1).padStart(5)} %`)}  spent ${dollars(Number(l.spentMicros))} + reserved ${dollars(Number(l.reservedMicros))} of ${dollars(Number(l.limitMicros))}\n`);
        }
      } finally {
        await controls.close();
      }
    });
}
