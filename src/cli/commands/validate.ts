import type { Command } from 'commander';
import pc from 'picocolors';
import { loadPackSync } from '../../policy/pack-files.js';
import { printJson } from '../io.js';
import { plural } from '../../util/plural.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a pack or folder of rulebooks (YAML, schema, CEL types) without running anything')
    .argument('<dir>', 'pack folder or built-in pack name')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExit codes: 0 valid, 2 invalid (every problem is listed with file, line and rule id).')
    .action((dir: string, o: { json?: boolean }) => {
      const ps = loadPackSync(dir);
      const summary = {
        ok: true,
        pack: ps.name,
        version: ps.version,
        rules: ps.rules.length,
        rulebooks: ps.rulebooks.map((b) => ({ name: b.name, tier: b.tier, file: b.file, rules: b.rules })),
      };
      if (o.json) printJson(summary);
      else {
        process.stdout.write(`${pc.green('✔')} ${ps.name}@${ps.version}: ${plural(ps.rules.length, 'rule')} in ${plural(ps.rulebooks.length, 'rulebook')}\n`);
        for (const b of ps.rulebooks) process.stdout.write(`   ${b.tier.padEnd(15)} ${b.name} (${plural(b.rules, 'rule')}) ${pc.dim(b.file)}\n`);
      }
    });
}
