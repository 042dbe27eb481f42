import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { packageRoot } from '../../util/package-root.js';
import { VulnDb } from './db.js';
import { importOsv } from './import.js';
import type { OsvRecord } from './types.js';

const FX = join(packageRoot(), 'test', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'esq-vulndb-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDb = (): VulnDb => VulnDb.open(join(tmp, `db${n++}`, 'osv.db'));

describe('vulnerability database import', () => {
  it('imports a folder laid out like the OSV exports, indexing every affected package', async () => {
    const db = freshDb();
    const r = await importOsv(db, join(FX, 'osv'), { now: () => new Date('2026-11-20T10:00:00Z') });
    assert.equal(r.files, 55);
    assert.equal(r.withdrawn, 3);
    assert.deepEqual(r.ecosystems, { Debian: 7, Maven: 3, npm: 48, NuGet: 5, RubyGems: 3 });
    const st = db.status();
    assert.equal(st.records, 55);
    assert.equal(st.importedAt, '2026-11-20T10:00:00.000Z');
    assert.deepEqual(st.sources, [join(FX, 'osv')]);
    const lodash = db.recordsFor('npm', 'lodash').map((x) => x.id).sort();
    assert.deepEqual(lodash, ['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm', 'GHSA-4xc9-xhrj-v574', 'GHSA-jf85-cpcp-j695', 'GHSA-p6mc-m468-83gw']);
    assert.deepEqual(db.recordsFor('npm', 'lodash.trim').map((x) => x.id), ['GHSA-29mw-wpgm-hmr9']);
    assert.deepEqual(db.recordsFor('npm', 'jsonwebtoken').map((x) => x.id).sort(), ['GHSA-8cf7-32gw-wr33', 'GHSA-hjrf-2m68-5959'], 'withdrawn GHSA-27h2 is stored but not offered');
    assert.deepEqual(db.recordsFor('Debian:12', 'openssl').map((x) => x.id).length, 4, 'any release; the matcher picks');
    const original = JSON.parse(readFileSync(join(FX, 'osv', 'npm', 'GHSA-78xj-cgh5-2h22.json'), 'utf8')) as OsvRecord;
    assert.deepEqual(db.record('GHSA-78xj-cgh5-2h22'), original, 'records are kept unchanged');
    const view = db.recordsFor('npm', 'ip').find((x) => x.id === 'GHSA-78xj-cgh5-2h22')!;
    assert.deepEqual([view.affected, view.aliases, view.summary, view.details], [original.affected!.map(({ package: p, ranges, versions }) => ({ package: p, ranges, ...(versions ? { versions } : {}) })), original.aliases, original.summary, undefined], 'scans read a view without the prose');
    assert.deepEqual(db.info(), { path: db.path, records: 55, importedAt: '2026-11-20T10:00:00.000Z' });
    db.close();
  });

  it('imports a zip of records (npm/all.zip layout)', async () => {
    const db = freshDb();
    const r = await importOsv(db, join(FX, 'osv-zips', 'npm-lodash.zip'));
    assert.equal(r.files, 5);
    assert.equal(db.recordsFor('npm', 'lodash').length, 5);
    db.close();
  });

  it('a malformed record aborts the import, names the file and line, and stores nothing', async () => {
    const db = freshDb();
    await importOsv(db, join(FX, 'osv-zips', 'npm-lodash.zip'), { now: () => new Date('2026-01-01T00:00:00Z') });
    await assert.rejects(importOsv(db, join(FX, 'osv-zips', 'broken.zip')), (e: Error) => {
      assert.match(e.message, /broken\.zip:GHSA-broken\.json:6:\d+: not valid JSON/);
      return true;
    });
    assert.equal(db.status().records, 5, 'the good record in the same zip was rolled back too');
    assert.equal(db.status().importedAt, '2026-01-01T00:00:00.000Z', 'age unchanged by a failed import');
    db.close();
  });

  it('rejects JSON that is not an OSV record, naming the field', async () => {
    const dir = join(tmp, 'notosv');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x.json'), '{\n  "id": "X-1",\n  "modified": "2024-01-01T00:00:00Z",\n  "affected": [{"package": {"ecosystem": "npm", "name": "a"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1.0.0"}]}]}]\n}\n');
    const db = freshDb();
    await assert.rejects(importOsv(db, dir), /x\.json:4: not an OSV record: affected\[0\]\.ranges\[0\]\.events\[0\] must hold exactly one of/);
    db.close();
  });

  it('keeps the newest revision of a record and drops everything on --replace', async () => {
    const dir = join(tmp, 'revisions');
    mkdirSync(join(dir, 'old'), { recursive: true });
    const rec = JSON.parse(readFileSync(join(FX, 'osv', 'npm', 'GHSA-35jh-r3h4-6jhm.json'), 'utf8')) as OsvRecord;
    copyFileSync(join(FX, 'osv', 'npm', 'GHSA-35jh-r3h4-6jhm.json'), join(dir, 'GHSA-35jh-r3h4-6jhm.json'));
    writeFileSync(join(dir, 'old', 'GHSA-35jh-r3h4-6jhm.json'), JSON.stringify({ ...rec, modified: '2001-01-01T00:00:00Z', summary: 'old revision' }));
    const db = freshDb();
    await importOsv(db, join(dir, 'GHSA-35jh-r3h4-6jhm.json').replace(/GHSA.*$/, ''));
    assert.equal(db.recordsFor('npm', 'lodash')[0]!.summary, rec.summary, 'the 2001 revision (read first, from old/) did not win');
    await importOsv(db, join(FX, 'osv-zips', 'npm-lodash.zip'), { replace: true });
    assert.equal(db.status().records, 5);
    db.close();
  });

  it('imports a single record file', async () => {
    const db = freshDb();
    assert.equal((await importOsv(db, join(FX, 'osv', 'npm', 'GHSA-78xj-cgh5-2h22.json'))).files, 1);
    assert.equal(db.recordsFor('npm', 'ip').length, 1);
    db.close();
  });

  it('opens read-only for scanning, not at all when nothing was imported, and explains a damaged file', () => {
    assert.equal(VulnDb.openExisting(join(tmp, 'none', 'osv.db')), undefined);
    const junk = join(tmp, 'junk.db');
    writeFileSync(junk, 'this is not a database, just text long enough to have a header '.repeat(10));
    assert.throws(() => VulnDb.openExisting(junk), /cannot open the vulnerability database .*junk\.db \(file is not a database\); remove it/);
  });
});
