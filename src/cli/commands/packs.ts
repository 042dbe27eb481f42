import type { Command } from 'commander';
import { builtinPackNames, loadPackSync } from '../../policy/pack-files.js';
import { printJson } from '../io.js';

export function registerPacks(program: Command): void {
  program
    .command('packs')
    .description('List the built-in policy packs')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) => {
      const packs = builtinPackNames().map((n) => {
        const p = loadPackSync(n);
        return { name: p.name, version: p.version, rules: p.rules.length, description: p.description };
      });
      if (o.json) printJson(packs);
      else for (const p of packs) process.stdout.write(`${p.name.padEnd(12)} ${String(p.rules).padStart(3)} rules  ${p.description}\n`);
    });
}
