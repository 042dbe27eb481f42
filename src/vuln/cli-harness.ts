/**
 * The vulnerability commands as `esq` runs them (same error mapping as cli/main.ts), for the
 * command tests to spawn as a real process until main.ts registers them. Not a public entry point.
 */
import { Command, CommanderError } from 'commander';
import { registerSbom } from '../cli/commands/sbom.js';
import { registerScan } from '../cli/commands/scan.js';
import { registerVulndb } from '../cli/commands/vulndb.js';
import { EXIT } from '../cli/exit-codes.js';
import { failWith } from '../cli/io.js';

const program = new Command('esq');
registerScan(program, process.env.ESQ_TEST_SERVICE_DIR ? { resolveService: async (name) => (name === 'lunch-subsidy-svc' ? { path: process.env.ESQ_TEST_SERVICE_DIR!, service: name, classification: 'pii-high' } : undefined) } : {});
registerVulndb(program);
registerSbom(program);
const override = (c: Command): void => {
  c.exitOverride();
  c.commands.forEach(override);
};
override(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = err instanceof CommanderError ? (err.exitCode === 0 ? EXIT.OK : EXIT.USAGE) : failWith(err, process.argv.includes('--json'));
}
