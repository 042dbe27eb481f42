import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileQuarantine, type QuarantineSink } from './quarantine.js';
import { highestSeverity, levelsReached, liftAction, quarantineAction, worstFindings } from './quarantine-actions.js';
import type { Finding, Severity } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'esq-q-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const finding = (id: string, level: Severity, name = 'lib'): Finding => ({
  id, advisories: [id], aliases: [], summary: '', severity: { level, method: 'test' }, references: [], fixedIn: '2.0.0',
  package: { ecosystem: 'npm', name, version: '1.0.0', path: [name], relation: 'direct', source: 'x' },
});

describe('quarantine actions', () => {
  it('sends the highest severity, the thresholds it reaches, advisory ids and counts — no paths', () => {
    const fs = [finding('CVE-1', 'high'), finding('CVE-2', 'critical'), finding('CVE-3', 'medium'), finding('CVE-4', 'critical', 'other')];
    const a = quarantineAction({ service: 'svc', classification: 'pii-high' }, fs, { quarantineOn: 'high' });
    assert.equal(a.name, 'vuln.quarantine');
    assert.deepEqual(a.data, { classification: 'pii-high', tags: ['vulnerability'] });
    assert.deepEqual(a.args, {
      service: 'svc', classification: 'pii-high', severity: 'critical', reaches: ['low', 'medium', 'high', 'critical'],
      advisories: ['CVE-2', 'CVE-4'], critical: 2, high: 1, medium: 1, low: 0, unknown: 0, total: 4, quarantineOn: 'high',
    });
    assert.ok(!JSON.stringify(a).includes('"x"'), 'no source file names');
    assert.deepEqual(worstFindings(fs).map((f) => f.id), ['CVE-2', 'CVE-4']);
  });

  it('ranks unknown below every threshold', () => {
    assert.equal(highestSeverity([finding('CVE-9', 'unknown')]), 'unknown');
    assert.deepEqual(levelsReached('unknown'), []);
    assert.deepEqual(levelsReached('medium'), ['low', 'medium']);
  });

  it('builds the same lift action for the same inputs (an approval is for exactly one action)', () => {
    const a = liftAction({ service: 'svc', classification: 'phi' }, { advisories: ['CVE-2', 'CVE-1', 'CVE-2'], trigger: 'resolved' });
    assert.deepEqual(a, liftAction({ service: 'svc', classification: 'phi' }, { advisories: ['CVE-1', 'CVE-2'], trigger: 'resolved' }));
    assert.deepEqual(a.args, { service: 'svc', classification: 'phi', trigger: 'resolved', advisories: ['CVE-1', 'CVE-2'] });
  });
});

describe('FileQuarantine', () => {
  it('keeps state in a JSON file written atomically and forwards to the next sink', async () => {
    const path = join(tmp, 'scanner', 'quarantine.json');
    const calls: string[] = [];
    const next: QuarantineSink = { cordon: (s, r) => void calls.push(`cordon ${s}: ${r}`), lift: (s) => void calls.push(`lift ${s}`) };
    const q = new FileQuarantine(path, next, () => new Date('2026-11-22T12:30:00Z'));
    assert.equal(q.isCordoned('svc'), false);
    await q.cordon('svc', 'CVE-2 (Critical)', [finding('CVE-2', 'critical')], { incidentId: 'INC-1' });
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
      version: 1,
      services: { svc: { since: '2026-11-22T12:30:00.000Z', reason: 'CVE-2 (Critical)', incidentId: 'INC-1', findings: [{ id: 'CVE-2', package: 'lib', version: '1.0.0', severity: 'critical', fixedIn: '2.0.0' }] } },
    });
    assert.deepEqual(readdirSync(join(tmp, 'scanner')), ['quarantine.json'], 'no temporary file left behind');
    assert.equal(new FileQuarantine(path).isCordoned('svc'), true, 'another reader sees it');
    await q.lift('svc');
    assert.equal(q.isCordoned('svc'), false);
    assert.deepEqual(calls, ['cordon svc: CVE-2 (Critical)', 'lift svc']);
  });

  it('adds findings to a standing cordon, and a new cordon voids a pending lift', async () => {
    const q = new FileQuarantine(join(tmp, 'merge.json'), undefined, () => new Date('2026-11-22T12:30:00Z'));
    await q.cordon('svc', 'first', [finding('CVE-1', 'critical')], { incidentId: 'INC-1' });
    q.amend('svc', { lift: { approvalId: 'APR-1', requestedAt: '2026-11-22T13:00:00Z', action: { name: 'vuln.quarantine.lift' } } });
    assert.equal(q.entry('svc')?.lift?.approvalId, 'APR-1');
    await q.cordon('svc', 'second', [finding('CVE-2', 'critical')], { incidentId: 'INC-2' });
    const e = q.entry('svc')!;
    assert.deepEqual([e.since, e.reason, e.incidentId, e.findings.map((f) => f.id), e.lift], ['2026-11-22T12:30:00.000Z', 'second', 'INC-2', ['CVE-1', 'CVE-2'], undefined]);
    q.amend('svc', { liftDenied: { at: 'x', reason: 'denied' } });
    q.amend('svc', { liftDenied: undefined });
    assert.equal('liftDenied' in q.entry('svc')!, false);
    q.amend('other', { liftDenied: { at: 'x', reason: 'r' } });
    assert.equal(q.entry('other'), undefined, 'amending a service that is not cordoned does nothing');
  });

  it('refuses a corrupted state file rather than treating it as "nothing cordoned"', () => {
    const path = join(tmp, 'bad.json');
    writeFileSync(path, '{"services": ');
    assert.throws(() => new FileQuarantine(path).isCordoned('svc'), /bad\.json is not a quarantine state file/);
  });
});
