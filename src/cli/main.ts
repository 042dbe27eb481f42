#!/usr/bin/env node
/**
 * The `esq` command. Each subcommand lives in commands/<name>.ts; this file wires them and maps
 * errors to the shared exit codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { Command, CommanderError } from 'commander';
import { registerDecide } from './commands/decide.js';
import { registerDemo } from './commands/demo.js';
import { registerDetect } from './commands/detect.js';
import { registerScrub } from './commands/scrub.js';
import { registerServe } from './commands/serve.js';
import { registerKeys } from './commands/keys.js';
import { registerStoreAdmin } from './commands/store-admin.js';
import { registerVault } from './commands/vault.js';
import { registerBudgets } from './commands/budgets.js';
import { registerUsers } from './commands/users.js';
import { envelopeScanHooks, registerScan } from './commands/scan.js';
import { registerVulndb } from './commands/vulndb.js';
import { registerSbom } from './commands/sbom.js';
import { registerPki } from './commands/pki.js';
import { registerStatus } from './commands/status.js';
import { registerWrap } from './commands/wrap.js';
import { registerTest } from './commands/test.js';
import { registerValidate } from './commands/validate.js';
import { registerPacks } from './commands/packs.js';
import { EXIT } from './exit-codes.js';
import { failWith } from './io.js';

const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('esq')
    .description('ESQ — runtime governance and compliance for AI agents and services that handle regulated data')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Settings: ESQ_HOME (state, default ./.esq), ESQ_ENV (sandbox|dev|stage|prod, default dev),
ESQ_PACK (default hipaa), ESQ_BYPASS=1 (honoured only in sandbox), ESQ_LOG_LEVEL.
Exit codes: 0 ok/allowed, 1 internal error (esq test: a test failed), 2 bad usage or input,
3 refused by policy, 4 deferred for approval.`,
    );
  registerServe(program);
  registerDemo(program);
  registerDecide(program);
  registerDetect(program);
  registerScrub(program);
  registerTest(program);
  registerValidate(program);
  registerPacks(program);
  registerKeys(program);
  registerStoreAdmin(program);
  registerVault(program);
  registerBudgets(program);
  registerUsers(program);
  registerScan(program, envelopeScanHooks);
  registerVulndb(program);
  registerSbom(program);
  registerPki(program);
  registerStatus(program);
  // The envelope starts its own egress proxy (policy engine, mirror, status); ESQ_EGRESS_LISTEN is read there.
  registerWrap(program);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, successfully.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    return failWith(err, json);
  }
}

// `esq … | head` closes the pipe early: stop quietly, as Unix tools do, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK);
  });
}

process.exitCode = await main(process.argv);
