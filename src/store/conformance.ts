/**
 * One suite every Store implementation must pass (the cerbos habit: storage/db/internal/tests.go).
 * Each test gets a fresh database from the harness, so tests never see each other's rows.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { signCheckpoint, verifyCheckpoint } from '../audit/chain/checkpoint.js';
import { EMPTY_HEAD, type AuditRecordInput } from '../audit/chain/record.js';
import { verifyChain } from '../audit/chain/verify.js';
import type { Incident } from '../engine/types.js';
import { InvalidInputError } from '../errors.js';
import { MIGRATIONS, migrationName } from './migrations.js';
import type { Store } from './port.js';
import { actionHash, type Approval } from '../controls/approvals/approval.js';

/** A throwaway database: its own SQLite file or PostgreSQL schema. */
export interface TestDatabase {
  /** A new store instance on this database, not yet migrated. Call as often as needed. */
  open(): Promise<Store>;
  /** Raw SQL with full database access: what an attacker who bypasses ESQ could do. */
  exec(sql: string): Promise<void>;
}

export interface StoreHarness {
  fresh(): Promise<TestDatabase>;
}

/** SQL that removes the append-only triggers, as someone with database access could. */
const DISARM: Record<Store['dialect'], string> = {
  sqlite: 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;',
  postgres: 'ALTER TABLE audit_log DISABLE TRIGGER USER',
};

const BASE = Date.parse('2026-03-01T00:00:00.000Z');

function incident(i: number): Incident {
  const tenants = ['va', 'VA', 'va-east', undefined];
  const tenant = tenants[i % tenants.length];
  return {
    id: `INC-${String(i).padStart(4, '0')}`,
    time: new Date(BASE + (i % 8) * 1000).toISOString(), // 8 distinct times: many ties, so id breaks them
    action: 'export_phi',
    caller: { principal: `agent-${i}`, ...(tenant ? { tenant } : {}) },
    ruleId: `R${i % 3}`,
    severity: 'high',
    reason: `Rule R${i % 3} violated`,
    effect: 'block',
    env: 'prod',
    policy: { name: 'hipaa', version: '1' },
    argHashes: { dest: `hmac-sha256:${'ab'.repeat(32)}` },
    hashKeyId: 'k1',
    trace: [{ ruleId: `R${i % 3}`, effect: 'block', mode: 'enforce', tier: 'statute' }],
  };
}

/** Newest first by (time, id): the order listIncidents promises, computed independently. */
function newestFirst(list: Incident[]): string[] {
  return [...list].sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((x) => x.id);
}

function decisions(n: number, tag: string): AuditRecordInput[] {
  return Array.from({ length: n }, (_, j) => ({
    kind: 'decision',
    tenant: 'va',
    principal: `agent-${tag}`,
    action: 'export_phi',
    effect: j % 2 ? 'block' : 'allow',
    ruleIds: j % 2 ? ['HIPAA-SC-12'] : [],
    data: { tag, j, argHash: `hmac-sha256:${j}` },
  }));
}

export function storeConformance(name: string, harness: StoreHarness): void {
  async function withStores(count: number, fn: (stores: Store[], db: TestDatabase) => Promise<void>, migrate = true): Promise<void> {
    const db = await harness.fresh();
    const stores: Store[] = [];
    try {
      for (let i = 0; i < count; i++) stores.push(await db.open());
      if (migrate) await stores[0]!.migrate();
      await fn(stores, db);
    } finally {
      for (const s of stores) await s.close();
    }
  }
  const withStore = (fn: (s: Store, db: TestDatabase) => Promise<void>) => withStores(1, ([s], db) => fn(s!, db));

  describe(`${name} store conformance`, () => {
    describe('migrations', () => {
      it('apply every version once, even when two instances start together, and are idempotent after', () =>
        withStores(2, async ([a, b]) => {
          const results = await Promise.all([a!.migrate(), b!.migrate()]);
          const applied = results.flatMap((r) => r.applied);
          assert.deepEqual(applied, MIGRATIONS.map(migrationName), 'each migration applied exactly once in total');
          assert.deepEqual(await a!.migrate(), { applied: [] });
          assert.deepEqual(await b!.migrate(), { applied: [] });
          assert.deepEqual(await a!.auditHead(), EMPTY_HEAD, 'the migrated schema is usable');
        }, false));
    });

    describe('incidents', () => {
      it('round-trip exactly; unknown ids give undefined; re-putting the same incident is harmless', () =>
        withStore(async (s) => {
          const inc = incident(1);
          await s.putIncident(inc);
          await s.putIncident(inc);
          assert.deepEqual(await s.getIncident(inc.id), inc);
          assert.equal(await s.getIncident('INC-NOPE'), undefined);
        }));

      it('refuse a different incident under an existing id, and bad input', () =>
        withStore(async (s) => {
          await s.putIncident(incident(1));
          await assert.rejects(s.putIncident({ ...incident(1), reason: 'changed' }), InvalidInputError);
          await assert.rejects(s.putIncident({ ...incident(2), time: 'yesterday' }), InvalidInputError);
          assert.equal((await s.getIncident(incident(1).id))?.reason, incident(1).reason);
        }));

      it('page newest first by (time, id) with no duplicates or gaps, across ties', () =>
        withStore(async (s) => {
          const all = Array.from({ length: 25 }, (_, i) => incident(i));
          for (const inc of [...all].reverse()) await s.putIncident(inc);
          const seen: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const page = await s.listIncidents({ limit: 7, ...(cursor ? { cursor } : {}) });
            assert.ok(page.items.length <= 7);
            seen.push(...page.items.map((x) => x.id));
            cursor = page.nextCursor;
            pages++;
          } while (cursor);
          assert.equal(pages, 4);
          assert.deepEqual(seen, newestFirst(all));
          const exact = await s.listIncidents({ limit: 25 });
          assert.equal(exact.items.length, 25);
          assert.equal(exact.nextCursor, undefined, 'no cursor when nothing follows');
        }));

      it('filter by time window (since inclusive, until exclusive), rule and exact tenant, combined with paging', () =>
        withStore(async (s) => {
          const all = Array.from({ length: 25 }, (_, i) => incident(i));
          for (const inc of all) await s.putIncident(inc);
          const since = new Date(BASE + 2000);
          const until = new Date(BASE + 6000).toISOString();
          const ids = async (q: Parameters<Store['listIncidents']>[0]) => (await s.listIncidents(q)).items.map((x) => x.id);

          const inWindow = all.filter((x) => Date.parse(x.time) >= since.getTime() && Date.parse(x.time) < Date.parse(until));
          assert.deepEqual(await ids({ since, until, limit: 100 }), newestFirst(inWindow));
          assert.deepEqual(await ids({ ruleId: 'R1', limit: 100 }), newestFirst(all.filter((x) => x.ruleId === 'R1')));
          assert.deepEqual(await ids({ tenant: 'va', limit: 100 }), newestFirst(all.filter((x) => x.caller.tenant === 'va')));
          assert.ok((await ids({ tenant: 'va', limit: 100 })).length > 0);
          assert.deepEqual(await ids({ tenant: 'v', limit: 100 }), [], 'tenant match is exact, not a prefix');

          const want = newestFirst(all.filter((x) => x.ruleId === 'R2' && x.caller.tenant === 'VA'));
          assert.ok(want.length >= 2);
          const first = await s.listIncidents({ ruleId: 'R2', tenant: 'VA', limit: 1 });
          assert.deepEqual(first.items.map((x) => x.id), want.slice(0, 1));
          const rest = await s.listIncidents({ ruleId: 'R2', tenant: 'VA', limit: 100, cursor: first.nextCursor! });
          assert.deepEqual(rest.items.map((x) => x.id), want.slice(1));

          await assert.rejects(s.listIncidents({ limit: 10, cursor: 'garbage' }), InvalidInputError);
          await assert.rejects(s.listIncidents({ limit: 0 }), InvalidInputError);
          await assert.rejects(s.listIncidents({ limit: 10, since: 'not a time' }), InvalidInputError);
        }));
    });

    describe('API keys', () => {
      it('are found by hash while active, listed with revocation, and unique by id and hash', () =>
        withStore(async (s) => {
          await s.putApiKey({ id: 'k1', hash: 'h1', roles: ['admin'], label: 'bootstrap', createdAt: '2026-01-01T00:00:00Z' });
          await s.putApiKey({ id: 'k2', hash: 'h2', roles: ['decide', 'read'], tenant: 'va', label: 'agent', createdAt: new Date('2026-01-02T00:00:00Z') });
          assert.deepEqual(await s.findApiKeyByHash('h2'), {
            id: 'k2', hash: 'h2', roles: ['decide', 'read'], tenant: 'va', label: 'agent', createdAt: '2026-01-02T00:00:00.000Z', revokedAt: null,
          });
          assert.equal((await s.findApiKeyByHash('h1'))?.tenant, null);
          assert.equal(await s.findApiKeyByHash('h3'), undefined);
          await assert.rejects(s.putApiKey({ id: 'k1', hash: 'other', roles: [], label: '', createdAt: new Date() }), InvalidInputError);
          await assert.rejects(s.putApiKey({ id: 'k3', hash: 'h1', roles: [], label: '', createdAt: new Date() }), InvalidInputError);
          await assert.rejects(s.putApiKey({ id: 'k4', hash: 'h4', roles: 'admin' as unknown as string[], label: '', createdAt: new Date() }), InvalidInputError);

          assert.equal(await s.revokeApiKey('k2', '2026-02-01T00:00:00Z'), true);
          assert.equal(await s.revokeApiKey('k2', new Date()), false, 'already revoked');
          assert.equal(await s.revokeApiKey('nope', new Date()), false);
          assert.equal(await s.findApiKeyByHash('h2'), undefined, 'a revoked key no longer authenticates');
          const list = await s.listApiKeys();
          assert.deepEqual(list.map((k) => [k.id, k.revokedAt]), [['k1', null], ['k2', '2026-02-01T00:00:00.000Z']]);
        }));
    });

    describe('audit log', () => {
      it('assigns consecutive seqs from 1, links each hash to the previous, and reads back exactly', () =>
        withStore(async (s) => {
          assert.deepEqual(await s.auditHead(), EMPTY_HEAD);
          assert.deepEqual(await s.appendAudit([]), []);
          const first = await s.appendAudit(decisions(3, 'a'));
          const second = await s.appendAudit([
            { kind: 'auth', time: '2026-05-05T05:05:05+02:00', principal: 'key:k1', data: { ok: false, reason: 'revoked' } },
            { kind: 'approval', data: { nested: { z: 1, a: [0.1, 1e21, 'é😀', '\u0000'] }, b: null } },
          ]);
          assert.deepEqual([...first, ...second].map((r) => r.seq), [1, 2, 3, 4, 5]);
          assert.equal(first[0]!.prevHash, EMPTY_HEAD.hash);
          assert.equal(second[0]!.prevHash, first[2]!.hash);
          assert.equal(second[0]!.time, '2026-05-05T03:05:05.000Z', 'times are stored as ISO UTC');
          assert.equal(first[0]!.ruleIds?.length, 0);
          assert.equal(second[0]!.ruleIds, undefined, 'unset fields stay absent');
          const read = await s.readAudit({ fromSeq: 1, limit: 100 });
          assert.deepEqual(read, [...first, ...second]);
          assert.deepEqual(verifyChain(read), { ok: true, checked: 5, head: { seq: 5, hash: second[1]!.hash } });
          assert.deepEqual(await s.auditHead(), { seq: 5, hash: second[1]!.hash });
          assert.deepEqual((await s.readAudit({ fromSeq: 2, limit: 2 })).map((r) => r.seq), [2, 3]);
          assert.deepEqual(await s.readAudit({ fromSeq: 6, limit: 10 }), []);
        }));

      it('rejects a batch with any bad record as a whole, leaving the head unchanged', () =>
        withStore(async (s) => {
          await s.appendAudit(decisions(2, 'a'));
          const head = await s.auditHead();
          const bad: unknown[] = [
            { kind: 'Decision!', data: {} },
            { kind: 'decision', data: [1] },
            { kind: 'decision', data: { n: 10n } },
            { kind: 'decision', data: {}, time: 'soon' },
            { kind: 'decision', data: {}, ruleIds: 'R1' },
          ];
          for (const b of bad) {
            await assert.rejects(s.appendAudit([...decisions(1, 'ok'), b as AuditRecordInput]), InvalidInputError, JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
          }
          assert.deepEqual(await s.auditHead(), head);
          await assert.rejects(s.readAudit({ fromSeq: -1, limit: 1 }), InvalidInputError);
        }));

      it('keeps one unbroken chain under 20 concurrent batches of 50 from two store instances', () =>
        withStores(2, async ([a, b]) => {
          const calls = Array.from({ length: 20 }, (_, i) => (i % 2 ? a! : b!).appendAudit(decisions(50, `call${i}`)));
          const results = await Promise.all(calls);
          for (const [i, batch] of results.entries()) {
            assert.equal(batch.length, 50);
            for (let j = 1; j < batch.length; j++) assert.equal(batch[j]!.seq, batch[0]!.seq + j, `call ${i}: seqs are consecutive within a batch`);
            assert.ok(batch.every((r, j) => r.data.tag === `call${i}` && r.data.j === j));
          }
          const seqs = results.flatMap((r) => r.map((x) => x.seq)).sort((x, y) => x - y);
          assert.deepEqual(seqs, Array.from({ length: 1000 }, (_, i) => i + 1), 'every seq used once, no gaps');
          const all = await b!.readAudit({ fromSeq: 1, limit: 10000 });
          const v = verifyChain(all);
          assert.equal(v.ok, true, v.reason);
          assert.equal(v.checked, 1000);
          assert.deepEqual(await a!.auditHead(), { seq: 1000, hash: all[999]!.hash });
        }));

      it('stores signed checkpoints: idempotent per seq, latest and list in order, verifying the chain', () =>
        withStore(async (s) => {
          assert.equal(await s.latestCheckpoint(), undefined);
          const { privateKey, publicKey } = generateKeyPairSync('ed25519');
          await s.appendAudit(decisions(5, 'a'));
          const cp1 = signCheckpoint(await s.auditHead(), privateKey, new Date('2026-01-01T00:00:00Z'));
          await s.putCheckpoint(cp1);
          await s.putCheckpoint(cp1);
          assert.deepEqual(await s.latestCheckpoint(), cp1);
          await s.appendAudit(decisions(3, 'b'));
          const cp2 = signCheckpoint(await s.auditHead(), privateKey);
          await s.putCheckpoint(cp2);
          assert.deepEqual(await s.listCheckpoints(), [cp1, cp2]);
          const latest = (await s.latestCheckpoint())!;
          assert.deepEqual(latest, cp2);
          assert.equal(latest.seq, 8);
          assert.deepEqual(verifyCheckpoint(latest, publicKey), { ok: true });
          const v = verifyChain(await s.readAudit({ fromSeq: 1, limit: 100 }), { checkpoint: latest });
          assert.equal(v.ok, true, v.reason);
        }));

      it('refuses UPDATE and DELETE on the log through SQL (append-only triggers)', () =>
        withStore(async (s, db) => {
          await s.appendAudit(decisions(2, 'a'));
          await assert.rejects(db.exec("UPDATE audit_log SET kind = 'auth' WHERE seq = 1"), /append-only/);
          await assert.rejects(db.exec('DELETE FROM audit_log WHERE seq = 2'), /append-only/);
          assert.equal(verifyChain(await s.readAudit({ fromSeq: 1, limit: 10 })).ok, true);
        }));

      it('names the tampered seq when a row is edited or deleted directly with SQL', () =>
        withStore(async (s, db) => {
          await s.appendAudit(decisions(10, 'a'));
          const cp = await s.auditHead();
          await db.exec(DISARM[s.dialect]);
          await db.exec(`UPDATE audit_log SET data = '{"argHash":"forged","j":3,"tag":"a"}' WHERE seq = 4`);
          let v = verifyChain(await s.readAudit({ fromSeq: 1, limit: 100 }));
          assert.equal(v.ok, false);
          assert.equal(v.firstBadSeq, 4, v.reason);
          assert.match(v.reason!, /modified/);

          await db.exec('DELETE FROM audit_log WHERE seq = 4');
          v = verifyChain(await s.readAudit({ fromSeq: 1, limit: 100 }));
          assert.equal(v.firstBadSeq, 4);
          assert.match(v.reason!, /missing/);

          await db.exec('DELETE FROM audit_log WHERE seq >= 4');
          assert.equal(verifyChain(await s.readAudit({ fromSeq: 1, limit: 100 })).ok, true, 'without a checkpoint a cut tail looks fine');
          v = verifyChain(await s.readAudit({ fromSeq: 1, limit: 100 }), { checkpoint: cp });
          assert.equal(v.firstBadSeq, 4);
          assert.match(v.reason!, /truncated/);
        }));
    });

    describe('approvals', () => {
      const t0 = new Date('2026-11-22T10:00:00.000Z');
      const later = (h: number) => new Date(t0.getTime() + h * 3600_000);
      const request = (id: string, required: number, tenant: string | null = 'va'): Approval => ({
        id,
        tenant,
        requester: 'key-requester',
        actionHash: actionHash({ name: 'delete_phi', args: { mrn: id } }),
        summary: { action: 'delete_phi', reason: 'needs approval', riskClass: required > 1 ? 'critical' : 'high' },
        riskClass: required > 1 ? 'critical' : 'high',
        required,
        status: 'pending',
        createdAt: t0.toISOString(),
        expiresAt: later(required > 1 ? 72 : 24).toISOString(),
        votes: [],
      });
      const vote = (approver: string, decision: 'approve' | 'deny' = 'approve') => ({ approver, decision, reason: 'checked', at: later(1).toISOString() });

      it('apply the approval rules durably: self-approval and duplicate votes refused, quorum, single use', () =>
        withStore(async (s) => {
          await s.createApproval(request('APR-1', 2));
          assert.equal((await s.voteApproval('APR-1', vote('key-requester'), later(1))).ok, false);
          assert.equal((await s.voteApproval('APR-1', vote('alice'), later(1))).ok, true);
          const dup = await s.voteApproval('APR-1', vote('alice'), later(1));
          assert.equal(!dup.ok && dup.reason, 'duplicate-vote');
          assert.equal((await s.getApproval('APR-1', later(2)))!.status, 'pending');
          const done = await s.voteApproval('APR-1', vote('bob'), later(2));
          assert.ok(done.ok && done.approval.status === 'approved');
          const a = (await s.getApproval('APR-1', later(3)))!;
          assert.deepEqual(a.votes.map((v) => v.approver).sort(), ['alice', 'bob']);
          assert.equal((await s.consumeApproval('APR-1', actionHash({ name: 'delete_phi', args: { mrn: 'other' } }), later(3))).ok, false);
          assert.equal((await s.consumeApproval('APR-1', a.actionHash, later(3))).ok, true);
          const again = await s.consumeApproval('APR-1', a.actionHash, later(4));
          assert.equal(!again.ok && again.reason, 'already-used');
        }));

      it('expire by the injected clock, list by status and tenant, and count the backlog', () =>
        withStore(async (s) => {
          await s.createApproval(request('APR-a', 1, 'va'));
          await s.createApproval({ ...request('APR-b', 1, 'dod'), createdAt: later(1).toISOString(), expiresAt: later(25).toISOString() });
          assert.equal(await s.countPendingApprovals(later(2)), 2);
          assert.deepEqual((await s.listApprovals({ status: 'pending', limit: 10 }, later(2))).items.map((a) => a.id), ['APR-b', 'APR-a']);
          assert.deepEqual((await s.listApprovals({ status: 'pending', tenant: 'dod', limit: 10 }, later(2))).items.map((a) => a.id), ['APR-b']);
          // 24.5 h later APR-a has expired (a denial) and cannot be voted on.
          assert.deepEqual((await s.listApprovals({ status: 'expired', limit: 10 }, later(24.5))).items.map((a) => a.id), ['APR-a']);
          assert.equal(await s.countPendingApprovals(later(24.5)), 1);
          const late = await s.voteApproval('APR-a', vote('alice'), later(24.5));
          assert.equal(!late.ok && late.reason, 'expired');
          const page1 = await s.listApprovals({ limit: 1 }, later(2));
          const page2 = await s.listApprovals({ limit: 1, cursor: page1.nextCursor! }, later(2));
          assert.deepEqual([...page1.items, ...page2.items].map((a) => a.id), ['APR-b', 'APR-a']);
        }));

      it('let concurrent votes from two replicas produce exactly one outcome', () =>
        withStores(2, async ([r1, r2]) => {
          for (let k = 0; k < 10; k++) {
            const id = `APR-race-${k}`;
            await r1!.createApproval(request(id, 1));
            // An approve and a deny race on one request needing one approval.
            const [x, y] = await Promise.all([r1!.voteApproval(id, vote('alice', 'approve'), later(1)), r2!.voteApproval(id, vote('bob', 'deny'), later(1))]);
            assert.equal([x, y].filter((o) => o.ok).length, 1, 'exactly one vote decided the request');
            const loser = [x, y].find((o) => !o.ok)!;
            assert.equal(!loser.ok && loser.reason, 'not-pending');
            const final = (await r2!.getApproval(id, later(2)))!;
            assert.equal(final.votes.length, 1);
            assert.equal(final.status, final.votes[0]!.decision === 'approve' ? 'approved' : 'denied');
          }
          // Two approvers of a critical request racing: both count, the result is approved once.
          await r1!.createApproval(request('APR-crit', 2));
          const both = await Promise.all([r1!.voteApproval('APR-crit', vote('alice'), later(1)), r2!.voteApproval('APR-crit', vote('bob'), later(1))]);
          assert.ok(both.every((o) => o.ok));
          assert.equal((await r1!.getApproval('APR-crit', later(2)))!.status, 'approved');
          const uses = await Promise.all([r1!.consumeApproval('APR-crit', request('APR-crit', 2).actionHash, later(3)), r2!.consumeApproval('APR-crit', request('APR-crit', 2).actionHash, later(3))]);
          assert.equal(uses.filter((u) => u.ok).length, 1, 'an approval is consumed once across replicas');
        }));
    });
  });
  consoleConformance(name, withStore);
}

// ── console users and sessions (migration 3) ────────────────────────────────

function consoleConformance(name: string, withStore: (fn: (s: Store, db: TestDatabase) => Promise<void>) => Promise<void>): void {
  const hashOf = (c: string) => c.repeat(64);
  const t0 = new Date('2026-11-22T10:00:00.000Z');
  const at = (min: number) => new Date(t0.getTime() + min * 60_000);

  describe(`${name} store conformance: console users and sessions`, () => {
    it('store users by unique name with roles and tenant; refuse duplicates and bad input', () =>
      withStore(async (s) => {
        await s.putConsoleUser({ name: 'alice', passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaGhhc2hoYXNo', roles: ['approve', 'read'], tenant: 'va', createdAt: t0 });
        await s.putConsoleUser({ name: 'bob.smith', passwordHash: 'scrypt$16384$8$1$c2FsdA$b3RoZXJoYXNoaGFzaA', roles: ['admin'], createdAt: at(1) });
        assert.deepEqual(await s.getConsoleUser('alice'), {
          name: 'alice', passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaGhhc2hoYXNo', roles: ['approve', 'read'], tenant: 'va', createdAt: t0.toISOString(),
        });
        assert.equal((await s.getConsoleUser('bob.smith'))?.tenant, null);
        assert.equal(await s.getConsoleUser('Alice'), undefined, 'names are case-sensitive');
        assert.deepEqual((await s.listConsoleUsers()).map((u) => u.name), ['alice', 'bob.smith']);
        await assert.rejects(s.putConsoleUser({ name: 'alice', passwordHash: 'scrypt$16384$8$1$c2FsdA$eHh4eHh4eHh4eHh4', roles: ['read'], createdAt: t0 }), InvalidInputError);
        await assert.rejects(s.putConsoleUser({ name: 'has space', passwordHash: 'scrypt$16384$8$1$c2FsdA$eHh4eHh4eHh4eHh4', roles: ['read'], createdAt: t0 }), InvalidInputError);
        await assert.rejects(s.putConsoleUser({ name: 'carol', passwordHash: 'plaintext', roles: ['read'], createdAt: t0 }), InvalidInputError);
        await assert.rejects(s.putConsoleUser({ name: 'carol', passwordHash: 'scrypt$16384$8$1$c2FsdA$eHh4eHh4eHh4eHh4', roles: [], createdAt: t0 }), InvalidInputError);
      }));

    it('find sessions until they expire, and end them on sign-out, password change, removal and purge', () =>
      withStore(async (s) => {
        await s.putConsoleUser({ name: 'alice', passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaGhhc2hoYXNo', roles: ['read'], createdAt: t0 });
        await s.createConsoleSession({ idHash: hashOf('a'), subject: 'user:alice', createdAt: t0, expiresAt: at(60) });
        await s.createConsoleSession({ idHash: hashOf('b'), subject: 'user:alice', createdAt: t0, expiresAt: at(60) });
        await s.createConsoleSession({ idHash: hashOf('c'), subject: `key:${hashOf('9')}`, createdAt: t0, expiresAt: at(10) });
        assert.deepEqual(await s.getConsoleSession(hashOf('a'), at(59)), { idHash: hashOf('a'), subject: 'user:alice', createdAt: t0.toISOString(), expiresAt: at(60).toISOString() });
        assert.equal(await s.getConsoleSession(hashOf('a'), at(60)), undefined, 'expired at its expiry time');
        assert.equal(await s.getConsoleSession(hashOf('d'), at(1)), undefined);
        await assert.rejects(s.createConsoleSession({ idHash: 'not-a-hash', subject: 'user:alice', createdAt: t0, expiresAt: at(1) }), InvalidInputError);
        await assert.rejects(s.createConsoleSession({ idHash: hashOf('e'), subject: 'alice', createdAt: t0, expiresAt: at(1) }), InvalidInputError);

        await s.deleteConsoleSession(hashOf('a'));
        assert.equal(await s.getConsoleSession(hashOf('a'), at(1)), undefined);
        assert.ok(await s.getConsoleSession(hashOf('b'), at(1)));
        assert.equal(await s.deleteExpiredConsoleSessions(at(30)), 1, 'only the key session had expired');
        assert.ok(await s.getConsoleSession(hashOf('b'), at(1)));

        assert.equal(await s.setConsoleUserPassword('alice', 'scrypt$16384$8$1$c2FsdA$bmV3aGFzaG5ld2hhc2g'), true);
        assert.equal((await s.getConsoleUser('alice'))?.passwordHash, 'scrypt$16384$8$1$c2FsdA$bmV3aGFzaG5ld2hhc2g');
        assert.equal(await s.getConsoleSession(hashOf('b'), at(1)), undefined, 'a password change ends the sessions');
        assert.equal(await s.setConsoleUserPassword('nobody', 'scrypt$16384$8$1$c2FsdA$bmV3aGFzaG5ld2hhc2g'), false);

        await s.createConsoleSession({ idHash: hashOf('f'), subject: 'user:alice', createdAt: t0, expiresAt: at(60) });
        assert.equal(await s.deleteConsoleUser('alice'), true);
        assert.equal(await s.getConsoleUser('alice'), undefined);
        assert.equal(await s.getConsoleSession(hashOf('f'), at(1)), undefined, 'removing a user ends their sessions');
        assert.equal(await s.deleteConsoleUser('alice'), false);
      }));
  });
}
