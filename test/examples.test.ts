import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import { tempHome } from './helpers.js';

const tmp = tempHome('esq-example-');
after(tmp.cleanup);

it('examples/demo-block.ts runs: allowed export, blocked export with an incident, decorator allow and null', () => {
  const script = fileURLToPath(new URL('../examples/demo-block.js', import.meta.url));
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, ESQ_HOME: tmp.dir, ESQ_ENV: 'dev' }, timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'Exported patient_007.pdf to s3://hipaa_zone/reports');
  assert.equal(lines[1], '✖  BLOCKED by ESQ: Rule HIPAA-SC-12 violated (PHI to public bucket)');
  const id = /Incident ID: (INC-\S+)/.exec(lines[2] ?? '')?.[1];
  assert.ok(id);
  assert.equal(lines[3], 'copied labs_2026.csv to s3://hipaa_zone/labs');
  assert.equal(lines[4], 'null');
  // Two blocks (the wrapper's and the decorator's), two incident files.
  const files = readdirSync(join(tmp.dir, 'incidents'));
  assert.equal(files.length, 2);
  assert.ok(files.includes(`${id}.json`));
  assert.match(r.stderr, /blocked: Rule HIPAA-SC-12/, 'the null-mode block is logged');
});
