/**
 * `npm run bench`: runs the benchmarks and writes JSON results under bench/results/.
 * Figures are medians and ratios against a baseline measured in the same run.
 *   node dist/bench/run.js [--only decide] [--samples N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/util/package-root.js';
import * as decideBench from './decide.bench.js';
import * as scanBench from './scan.bench.js';
import * as serviceBench from './service.bench.js';
import * as costBench from './cost.bench.js';
import * as vulnBench from './vuln.bench.js';
import * as envelopeBench from './envelope.bench.js';

const { values } = parseArgs({ options: { only: { type: 'string' }, samples: { type: 'string', default: '50000' } } });
const benches: Record<string, (o: { samples: number }) => unknown> = { decide: decideBench.run, scan: scanBench.run, service: () => serviceBench.run(), 'service-postgres': () => serviceBench.runPostgres(), cost: () => costBench.run(), vuln: () => vulnBench.run(), envelope: () => envelopeBench.run() };
const outDir = join(packageRoot(), 'bench', 'results') + '/';
mkdirSync(outDir, { recursive: true });

const env = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, date: new Date().toISOString() };
for (const [name, run] of Object.entries(benches)) {
  if (values.only && values.only !== name) continue;
  process.stderr.write(`bench ${name}…\n`);
  const result = { ...((await run({ samples: Number(values.samples) })) as object), env };
  writeFileSync(`${outDir}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
