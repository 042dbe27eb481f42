/**
 * Prints the Presidio conformance for some or all entities, with failing cases.
 *   node --import tsx test/conformance/report.ts [ENTITY ...] [--all-failures]
 * (or, after a build: node dist/test/conformance/report.js)
 */
import { defaultAnalyzer } from '../../src/guardrails/detect/registry.js';
import { runPresidioConformance } from './presidio.js';

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const r = runPresidioConformance(defaultAnalyzer());
for (const e of r.entities) {
  if (only.length > 0 && !only.includes(e.entity)) continue;
  process.stdout.write(`${e.core ? '*' : ' '} ${e.entity.padEnd(26)} ${String(e.passed).padStart(4)}/${String(e.total).padEnd(4)} ${(e.rate * 100).toFixed(1)} %\n`);
}
process.stdout.write(`core: ${r.core.passed}/${r.core.total} (${(r.core.rate * 100).toFixed(1)} %)  all: ${r.all.passed}/${r.all.total}\n`);
const fails = r.failures.filter((f) => only.length === 0 || only.includes(f.entity));
for (const f of args.includes('--all-failures') ? fails : fails.slice(0, 40)) {
  process.stdout.write(`FAIL ${f.entity} ${JSON.stringify(f.text)} expected ${JSON.stringify(f.expected)} got ${JSON.stringify(f.got)}\n`);
}
