import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hmacArgHasher } from '../audit/arg-hasher.js';
import { buildIncident } from '../engine/incident.js';
import type { Action, Decision } from '../engine/types.js';
import { decisionAuditRecord } from './audit-record.js';
import type { Principal } from './auth/api-keys.js';

const hasher = hmacArgHasher(Buffer.alloc(32, 7));
const caller: Principal = { keyId: 'key_1', roles: ['decide'], tenant: null, label: 'test' };
const decision = {
  allow: false, effect: 'block', reason: 'r', ruleId: 'R-1', dryRun: [], env: 'prod', policy: { name: 'p', version: 'v' }, timings: { evalMicros: 1, rulesEvaluated: 1 },
  matches: [{ ruleId: 'R-1', rulebook: 'b', tier: 'statute', effect: 'block', severity: 'high', mode: 'enforce', message: 'm' }],
} as unknown as Decision;

describe('decision audit records', () => {
  it('keep the destination as a keyed hash, the same whether or not an incident supplied it', () => {
    const action: Action = { name: 'export_phi', dest: 's3://public_dump', args: { recordCount: 3 } };
    const incident = buildIncident(action, decision, { id: 'inc_1', now: new Date(0), hasher });
    const alone = decisionAuditRecord(action, decision, caller, hasher);
    const withIncident = decisionAuditRecord(action, decision, caller, hasher, incident);
    assert.equal(alone.data.dest, hasher.hash('s3://public_dump'));
    assert.equal(withIncident.data.dest, alone.data.dest);
    assert.doesNotMatch(JSON.stringify(withIncident), /public_dump/);
  });

  it('hash the destination itself when an argument named dest took the incident slot', () => {
    const action: Action = { name: 'copy', dest: 's3://public_dump', args: { dest: 'elsewhere' } };
    const incident = buildIncident(action, decision, { id: 'inc_2', now: new Date(0), hasher });
    assert.equal(incident.argHashes.dest, hasher.hash('elsewhere'));
    assert.equal(decisionAuditRecord(action, decision, caller, hasher, incident).data.dest, hasher.hash('s3://public_dump'));
  });
});
