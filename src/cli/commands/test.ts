import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { InvalidInputError } from '../../errors.js';
import { BUILTIN_PACKS_DIR, isPolicyTestFile, loadPackSync, MANIFEST } from '../../policy/pack-files.js';
import { runPolicyTests, type PolicyTestReport } from '../../policy/policy-tests.js';
import { EXIT } from '../exit-codes.js';
import { printJson } from '../io.js';

function findTestFiles(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((rel) => isPolicyTestFile(rel) && !rel.split(/[\\/]/).includes('node_modules'))
    .sort()
    .map((rel) => join(root, rel));
}

/** The pack a test file belongs to: the nearest folder above it with a pack.yaml. */
function packOf(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, MANIFEST))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function printReport(r: PolicyTestReport, verbose: boolean): void {
  process.stdout.write(`${pc.bold(r.pack.name)}@${r.pack.version}\n`);
  for (const c of r.results) {
    if (c.pass) {
      if (verbose) process.stdout.write(`  ${pc.green('✔')} ${c.name}\n`);
      continue;
    }
    process.stdout.write(`  ${pc.red('✖')} ${c.name} ${pc.dim(`${relative(process.cwd(), c.file)}:${c.line ?? '?'}`)}\n`);
    for (const f of c.failures) process.stdout.write(`      ${f}\n`);
  }
  const cov = r.coverage;
  const summary = `${r.passed} passed, ${r.failed} failed`;
  process.stdout.write(`  ${r.failed === 0 ? pc.green(summary) : pc.red(summary)}\n`);
  const missing = cov.unexercised.length > 0 ? `; not exercised: ${cov.unexercised.join(', ')}` : '';
  process.stdout.write(`  coverage: ${cov.exercised}/${cov.total} rules (${cov.percent}%)${missing}\n`);
}

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('Run policy tests (*_test.yaml): action → expected effect and rule ids, with rule coverage')
    .argument('[dir]', 'folder (or file) to search for *_test.yaml; a built-in pack name also works', '.')
    .option('-p, --pack <name|dir>', 'run every test against this pack (default: the nearest folder with pack.yaml)')
    .option('-v, --verbose', 'list passing tests too')
    .option('--json', 'print the reports as JSON')
    .addHelpText('after', '\nExit codes: 0 all passed, 1 a test failed, 2 bad input (unreadable test file, unknown pack).')
    .action((dir: string, o: { pack?: string; verbose?: boolean; json?: boolean }) => {
      let root = resolve(dir);
      if (!existsSync(root) && existsSync(join(BUILTIN_PACKS_DIR, dir, MANIFEST))) root = join(BUILTIN_PACKS_DIR, dir);
      if (!existsSync(root)) throw new InvalidInputError(`no such file or folder: ${dir}`);
      const files = findTestFiles(root);
      if (files.length === 0) throw new InvalidInputError(`no policy tests (*_test.yaml) under ${dir}`);

      const groups = new Map<string, string[]>();
      for (const f of files) {
        const pack = o.pack ?? packOf(f);
        if (!pack) throw new InvalidInputError(`${relative(process.cwd(), f)}: no pack.yaml above it; pass --pack`);
        groups.set(pack, [...(groups.get(pack) ?? []), f]);
      }
      const reports = [...groups].map(([pack, fs]) =>
        runPolicyTests(
          loadPackSync(pack),
          fs.map((f) => ({ path: relative(process.cwd(), f) || f, text: readFileSync(f, 'utf8') })),
        ),
      );
      if (o.json) printJson(reports.length === 1 ? reports[0] : reports);
      else reports.forEach((r) => printReport(r, o.verbose ?? false));
      if (reports.some((r) => r.failed > 0)) process.exitCode = EXIT.INTERNAL;
    });
}
