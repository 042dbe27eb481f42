import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defaultAnalyzer } from '../../src/guardrails/detect/registry.js';
import { runPresidioConformance } from './presidio.js';

it("passes at least 95 % of Presidio's recognizer cases for the core entities", (t) => {
  const r = runPresidioConformance(defaultAnalyzer());
  for (const e of r.entities.filter((x) => x.core)) t.diagnostic(`${e.entity.padEnd(20)} ${e.passed}/${e.total} (${(e.rate * 100).toFixed(1)} %)`);
  t.diagnostic(`core: ${r.core.passed}/${r.core.total} (${(r.core.rate * 100).toFixed(1)} %); all entities: ${r.all.passed}/${r.all.total}`);
  assert.ok(r.core.rate >= 0.95, `core pass rate ${r.core.rate}; first failures: ${JSON.stringify(r.failures.filter((f) => r.entities.find((e) => e.entity === f.entity)?.core).slice(0, 5))}`);
});
