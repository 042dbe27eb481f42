import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../engine/decide.js';
import { PolicyLoadError } from '../errors.js';
import { book, packOf } from '../../test/helpers.js';
import { composePolicySets } from './compose.js';
import { loadPackSync } from './pack-files.js';

const env = { env: 'prod' as const, now: new Date('2026-11-22T14:00:00Z') };

describe('composing a domain pack with companion packs', () => {
  const hipaa = loadPackSync('hipaa');
  const envelope = loadPackSync('envelope');
  const both = composePolicySets(hipaa, [envelope]);

  it('keeps the domain pack in charge and adds the companion rules and risk classes', () => {
    assert.equal(both.name, 'hipaa');
    assert.equal(both.defaultEffect, hipaa.defaultEffect);
    assert.equal(both.rules.length, hipaa.rules.length + envelope.rules.length);
    assert.notEqual(both.version, hipaa.version);
    assert.equal(decide(both, { name: 'export_phi', dest: 's3://public_dump' }, env).ruleId, 'HIPAA-SC-12');
    assert.equal(decide(both, { name: 'vuln.quarantine', data: { classification: 'phi' }, args: { severity: 'critical' } }, env).ruleId, 'ENV-VULN-01');
    const lift = decide(both, { name: 'vuln.quarantine.lift' }, env);
    assert.deepEqual([lift.effect, lift.risk?.class, lift.risk?.approvals], ['defer', 'high', 1]);
    assert.equal(both.risk.defaults.get('delete_phi'), 'high', "the domain pack's risk classes stay");
    assert.equal(composePolicySets(envelope, [envelope]), envelope, 'a pack is not composed with itself');
  });

  it('lets the domain pack class a companion action itself, and refuses clashing rule ids', () => {
    const own = packOf([book('agency', [{ id: 'X-1', when: 'false', effect: 'block' }])], 'name: own\nsettings:\n  risk:\n    defaults:\n      vuln.quarantine.lift: critical\n');
    assert.equal(decide(composePolicySets(own, [envelope]), { name: 'vuln.quarantine.lift' }, env).risk?.approvals, 2);
    const clash = packOf([book('agency', [{ id: 'ENV-VULN-01', when: 'false', effect: 'block' }])]);
    assert.throws(() => composePolicySets(clash, [envelope]), (e: unknown) => e instanceof PolicyLoadError && /ENV-VULN-01.*rule id also used by/.test(JSON.stringify((e as PolicyLoadError).problems)));
  });
});
