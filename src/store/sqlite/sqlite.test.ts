import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { after, describe, it } from 'node:test';
import type { AuditRecord } from '../../audit/chain/record.js';
import { verifyChain } from '../../audit/chain/verify.js';
import { storeConformance } from '../conformance.js';
import { openStore } from '../open.js';
import { SqliteStore } from './sqlite-store.js';

// Not test/helpers' tempHome: that module loads the whole policy stack.
const home = { dir: mkdtempSync(join(tmpdir(), 'esq-sqlite-')) };
after(() => rmSync(home.dir, { recursive: true, force: true }));
let n = 0;

storeConformance('SQLite', {
  async fresh() {
    const path = join(home.dir, `db${n++}`, 'esq.db');
    return {
      open: async () => new SqliteStore({ path }),
      exec: async (sql) => {
        const db = new Database(path);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
    };
  },
});

// The decision service appends on a worker thread with its own connection: the same contract must hold.
storeConformance('SQLite, audit writes on a worker thread', {
  async fresh() {
    const path = join(home.dir, `db${n++}`, 'esq.db');
    return {
      open: async () => new SqliteStore({ path, auditWriter: 'worker' }),
      exec: async (sql) => {
        const db = new Database(path);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
    };
  },
});

describe('SQLite store', () => {
  it('lives at <home>/esq.db by default, 0600, in WAL mode with synchronous=FULL', async () => {
    const dir = join(home.dir, 'defaults');
    const store = await openStore({ home: dir });
    try {
      assert.equal(store.dialect, 'sqlite');
      assert.equal((store as SqliteStore).path, join(dir, 'esq.db'));
      assert.equal(statSync(join(dir, 'esq.db')).mode & 0o777, 0o600);
      await store.appendAudit([{ kind: 'decision', data: {} }]);
      const db = new Database(join(dir, 'esq.db'), { readonly: true });
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      db.close();
      // synchronous is per connection: check the store's own.
      const own = (store as unknown as { db: Database.Database }).db;
      assert.equal(own.pragma('synchronous', { simple: true }), 2, 'FULL');
      assert.equal(own.pragma('busy_timeout', { simple: true }), 5000);
    } finally {
      await store.close();
    }
  });

  it('keeps one chain when several processes append at once (BEGIN IMMEDIATE + busy timeout)', async () => {
    const path = join(home.dir, 'multi', 'esq.db');
    const parent = new SqliteStore({ path });
    await parent.migrate();
    const here = fileURLToPath(import.meta.url);
    const worker = join(here, '..', `append-worker${here.endsWith('.ts') ? '.ts' : '.js'}`);
    const run = promisify(execFile);
    // process.execArgv carries the TypeScript loader when the tests run from source.
    const children = ['p1', 'p2', 'p3', 'p4'].map((tag) => run(process.execPath, [...process.execArgv, worker, path, tag, '40', '10']));
    let finished = false;
    const done = Promise.all(children).finally(() => (finished = true));
    // The parent keeps appending until every child has exited, so child batches must land between its own.
    let mine = 0;
    for (let b = 0; !finished; b++) {
      mine += (await parent.appendAudit(Array.from({ length: 5 }, (_, j) => ({ kind: 'decision', principal: 'parent', data: { b, j } })))).length;
      await new Promise((r) => setTimeout(r, 10));
    }
    const outs = await done;
    assert.deepEqual(outs.map((o) => Number(o.stdout)), [400, 400, 400, 400]);
    const all: AuditRecord[] = [];
    for (let page; (page = await parent.readAudit({ fromSeq: all.length + 1, limit: 1000 })).length; ) all.push(...page);
    assert.equal(all.length, 1600 + mine);
    const v = verifyChain(all);
    assert.equal(v.ok, true, v.reason);
    for (const tag of ['p1', 'p2', 'p3']) {
      const runs = all.filter((r) => r.principal === tag);
      for (let i = 0; i < runs.length; i += 10) {
        assert.equal(runs[i + 9]!.seq - runs[i]!.seq, 9, `${tag}: each batch of 10 is contiguous`);
      }
    }
    const parentSeqs = all.filter((r) => r.principal === 'parent').map((r) => r.seq);
    assert.ok(all.some((r) => r.principal !== 'parent' && r.seq > parentSeqs[0]! && r.seq < parentSeqs.at(-1)!), 'the writers really interleaved');
    await parent.close();
  });
});

describe('SQLite audit writer thread', () => {
  it('merges the batches queued behind a commit into one, and reports each commit’s size', async () => {
    const commits: number[] = [];
    const store = new SqliteStore({ path: join(home.dir, `db${n++}`, 'esq.db'), auditWriter: 'worker', onAuditCommit: (k) => commits.push(k) });
    await store.migrate();
    const batch = (tag: string, size: number) => Array.from({ length: size }, (_, j) => ({ kind: 'decision', principal: tag, data: { tag, j, pad: 'x'.repeat(200) } }));
    // The first append keeps the writer busy for a while; the next four queue up behind it meanwhile.
    const long = store.appendAudit(batch('long', 3000));
    const queued = ['a', 'b', 'c', 'd'].map((t) => store.appendAudit(batch(t, 5)));
    const results = await Promise.all([long, ...queued]);
    // Whether the long one commits alone (the writer picked it up first) or with them (all five were
    // queued before the thread started), the four small batches share one commit.
    assert.ok(JSON.stringify(commits) === '[3000,20]' || JSON.stringify(commits) === '[3020]', `commits: ${JSON.stringify(commits)}`);
    assert.deepEqual(results.slice(1).map((rs) => rs[0]!.seq), [3001, 3006, 3011, 3016], 'still in call order');
    await store.close();
  });

  it('commits batches queued behind one another together, in order, and fails only a bad batch', async () => {
    const store = new SqliteStore({ path: join(home.dir, `db${n++}`, 'esq.db'), auditWriter: 'worker' });
    await store.migrate();
    const batch = (tag: string, size: number) => Array.from({ length: size }, (_, j) => ({ kind: 'decision', principal: tag, data: { tag, j } }));
    // Posted in one go: the worker finds them all queued and merges them into one transaction.
    const calls = [
      store.appendAudit(batch('a', 3)),
      store.appendAudit(batch('b', 2)),
      store.appendAudit([{ kind: 'Not A Kind', data: {} }]),
      store.appendAudit(batch('c', 4)),
    ];
    const [a, b, bad, c] = await Promise.allSettled(calls);
    assert.equal(bad!.status, 'rejected');
    assert.match(String((bad as PromiseRejectedResult).reason), /kind must be a lowercase name/);
    const ok = [a, b, c].map((r) => (r as PromiseFulfilledResult<AuditRecord[]>).value);
    assert.deepEqual(ok.map((rs) => rs.map((r) => r.principal)), [['a', 'a', 'a'], ['b', 'b'], ['c', 'c', 'c', 'c']]);
    assert.deepEqual(ok.flat().map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'consecutive, in the order the calls were made');
    // What the caller got back is what a later read yields, data included.
    const read = await store.readAudit({ fromSeq: 1, limit: 100 });
    assert.deepEqual(read, ok.flat().map((r) => ({ ...r })));
    assert.equal(verifyChain(read).ok, true);
    await store.close();
  });
});
