import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempHome } from '../../test/helpers.js';
import { buildIncident } from '../engine/incident.js';
import type { Decision } from '../engine/types.js';
import { loadOrCreateKey } from '../util/keys.js';
import { hmacArgHasher } from './arg-hasher.js';
import { FileIncidentSink } from './file-incident-sink.js';
import { INCIDENT_ID_PATTERN, newIncidentId } from './incident-id.js';

const home = tempHome();
after(home.cleanup);

const blockDecision: Decision = {
  allow: false,
  effect: 'block',
  reason: 'Rule R violated (x)',
  ruleId: 'R',
  matches: [{ ruleId: 'R', rulebook: 'b', tier: 'statute', effect: 'block', severity: 'high', mode: 'enforce', message: 'x' }],
  dryRun: [{ ruleId: 'D', rulebook: 'b', tier: 'agency', effect: 'warn', severity: 'low', mode: 'dry-run', message: 'y' }],
  defaulted: false,
  env: 'prod',
  policy: { name: 'p', version: 'v' },
  timings: { evalMicros: 1, rulesEvaluated: 2 },
};

describe('incident ids', () => {
  it('are INC- plus a ULID, unique over many draws in the same millisecond, and sort by time', () => {
    const now = new Date();
    const ids = Array.from({ length: 20000 }, () => newIncidentId(now));
    assert.ok(ids.every((id) => INCIDENT_ID_PATTERN.test(id)));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(newIncidentId(new Date(now.getTime() + 1000)) > ids[ids.length - 1]!);
  });
});

describe('argument hashes', () => {
  const key = loadOrCreateKey(home.dir, 'incident-hmac');
  const h = hmacArgHasher(key);

  it('are keyed: another key gives another hash, so a guessed value cannot be confirmed without the key', () => {
    const other = hmacArgHasher(Buffer.alloc(32, 7));
    assert.notEqual(h.hash('078-05-1120'), other.hash('078-05-1120'));
    assert.notEqual(h.keyId, other.keyId);
  });

  it('are canonical: key order does not change the hash, values do', () => {
    assert.equal(h.hash({ a: 1, b: [1, 2] }), h.hash({ b: [1, 2], a: 1 }));
    assert.notEqual(h.hash({ a: 1 }), h.hash({ a: 2 }));
    assert.match(h.hash(10n), /^hmac-sha256:/);
    assert.match(h.hash(() => 1), /^hmac-sha256:/, 'unhashable values still hash (never throw on the kill-switch path)');
  });

  it('come from a 0600 key file that is created once and reused', () => {
    const file = join(home.dir, 'keys', 'incident-hmac.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(loadOrCreateKey(home.dir, 'incident-hmac'), key);
    chmodSync(file, 0o644);
    loadOrCreateKey(home.dir, 'incident-hmac');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'a loosened key file is tightened');
  });

  it('refuses a damaged key file with advice', () => {
    writeFileSync(join(home.dir, 'keys', 'broken.key'), 'x\n');
    assert.throws(() => loadOrCreateKey(home.dir, 'broken'), /delete it/);
  });
});

describe('incidents', () => {
  const hasher = hmacArgHasher(Buffer.alloc(32, 1));
  const action = {
    name: 'export_phi',
    args: { patient: { ssn: '078-05-1120', dob: '1961-07-04' }, note: 'Jane Doe, MRN 445566' },
    dest: 's3://public_dump/x',
    content: 'SSN 078-05-1120',
    principal: { id: 'agent-7', service: 'spiffe://va/ns/a/sa/b' },
    tenant: 'va',
  };

  it('hold who, what, when, which rule and the trace, with hashes in place of every raw value', () => {
    const inc = buildIncident(action, blockDecision, { id: 'INC-X', now: new Date('2026-01-02T03:04:05Z'), hasher, origin: { host: 'h', pid: 1 } });
    const text = JSON.stringify(inc);
    for (const raw of ['078-05-1120', '1961-07-04', 'Jane Doe', '445566', 'public_dump']) assert.ok(!text.includes(raw), `leaked ${raw}`);
    assert.deepEqual(Object.keys(inc.argHashes).sort(), ['$content', 'dest', 'note', 'patient']);
    assert.equal(inc.argHashes.patient, hasher.hash(action.args.patient));
    assert.deepEqual(inc.caller, { host: 'h', pid: 1, principal: 'agent-7', service: 'spiffe://va/ns/a/sa/b', tenant: 'va' });
    assert.equal(inc.ruleId, 'R');
    assert.equal(inc.time, '2026-01-02T03:04:05.000Z');
    assert.deepEqual(inc.trace.map((t) => `${t.ruleId}:${t.mode}`), ['R:enforce', 'D:dry-run']);
  });

  it('are written atomically: the final file is complete and no temp file is left', () => {
    const dir = join(home.dir, 'incidents');
    const sink = new FileIncidentSink(dir);
    const inc = buildIncident(action, blockDecision, { id: newIncidentId(), now: new Date(), hasher });
    sink.record(inc);
    assert.deepEqual(readdirSync(dir), [`${inc.id}.json`]);
    assert.deepEqual(JSON.parse(readFileSync(sink.pathOf(inc.id), 'utf8')), inc);
    assert.equal(statSync(sink.pathOf(inc.id)).mode & 0o777, 0o600);
  });
});
