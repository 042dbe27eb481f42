import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileQuarantine, quarantinePolicy, type QuarantineSink } from './quarantine.js';
import type { Finding, Severity } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'esq-q-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const finding = (id: string, level: Severity): Finding => ({
  id, advisories: [id], aliases: [], summary: '', severity: { level, method: 'test' }, references: [], fixedIn: '2.0.0',
  package: { ecosystem: 'npm', name: 'lib', version: '1.0.0', path: ['lib'], relation: 'direct', source: 'x' },
});

describe('quarantine policy', () => {
  it('cordons a pii-high service on a critical finding, not on a high one, by default', () => {
    assert.equal(quarantinePolicy([finding('CVE-1', 'high')], { classification: 'pii-high' }).cordon, false);
    const d = quarantinePolicy([finding('CVE-1', 'high'), finding('CVE-2', 'critical')], { classification: 'pii-high' });
    assert.equal(d.cordon, true);
    assert.deepEqual(d.findings.map((f) => f.id), ['CVE-2']);
    assert.equal(d.reason, 'CVE-2 (Critical) in lib 1.0.0 in a pii-high service');
  });

  it('does not cordon unclassified services unless told a severity, and never on unknown severity', () => {
    assert.equal(quarantinePolicy([finding('CVE-2', 'critical')], { classification: 'public' }).cordon, false);
    assert.equal(quarantinePolicy([finding('CVE-1', 'high')], { classification: 'public', minSeverity: 'high' }).cordon, true);
    assert.equal(quarantinePolicy([finding('CVE-9', 'unknown')], { classification: 'pii-high', minSeverity: 'low' }).cordon, false);
  });
});

describe('FileQuarantine', () => {
  it('keeps state in a JSON file written atomically and forwards to the next sink', async () => {
    const path = join(tmp, 'scanner', 'quarantine.json');
    const calls: string[] = [];
    const next: QuarantineSink = { cordon: (s, r) => void calls.push(`cordon ${s}: ${r}`), lift: (s) => void calls.push(`lift ${s}`) };
    const q = new FileQuarantine(path, next, () => new Date('2026-11-22T12:30:00Z'));
    assert.equal(q.isCordoned('svc'), false);
    await q.cordon('svc', 'CVE-2 (Critical)', [finding('CVE-2', 'critical')]);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
      version: 1,
      services: { svc: { since: '2026-11-22T12:30:00.000Z', reason: 'CVE-2 (Critical)', findings: [{ id: 'CVE-2', package: 'lib', version: '1.0.0', severity: 'critical', fixedIn: '2.0.0' }] } },
    });
    assert.deepEqual(readdirSync(join(tmp, 'scanner')), ['quarantine.json'], 'no temporary file left behind');
    assert.equal(new FileQuarantine(path).isCordoned('svc'), true, 'another reader sees it');
    await q.lift('svc');
    assert.equal(q.isCordoned('svc'), false);
    assert.deepEqual(calls, ['cordon svc: CVE-2 (Critical)', 'lift svc']);
  });

  it('refuses a corrupted state file rather than treating it as "nothing cordoned"', () => {
    const path = join(tmp, 'bad.json');
    writeFileSync(path, '{"services": ');
    assert.throws(() => new FileQuarantine(path).isCordoned('svc'), /bad\.json is not a quarantine state file/);
  });
});
