import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { after, describe, it } from 'node:test';
import { needService, TEST_DATABASE_URL } from '../../../test/services.js';
import { ConfigError } from '../../errors.js';
import { storeConformance } from '../conformance.js';
import { openStore } from '../open.js';
import { PostgresStore } from './postgres-store.js';

const url = TEST_DATABASE_URL;

async function sql(text: string, schema?: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const gate = await needService('PostgreSQL', () => sql('SELECT 1'), `set ESQ_DATABASE_URL (tried ${url.replace(/:[^:@/]*@/, ':***@')})`);

// Every schema this run creates is dropped at the end, whatever happened.
const schemas: string[] = [];
const newSchema = () => {
  const name = `esq_test_${randomBytes(6).toString('hex')}`;
  schemas.push(name);
  return name;
};
after(async () => {
  if (!gate.available) return;
  for (const s of schemas) await sql(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
});

describe('PostgreSQL store', { skip: gate.skip }, () => {
  storeConformance('PostgreSQL', {
    async fresh() {
      const schema = newSchema();
      return { open: async () => new PostgresStore({ url, schema }), exec: (text) => sql(text, schema) };
    },
  });

  it('is what openStore picks for a database URL, and keeps each schema to itself', async () => {
    const [a, b] = [newSchema(), newSchema()];
    const sa = await openStore({ home: '/nonexistent', databaseUrl: url, schema: a });
    const sb = await openStore({ home: '/nonexistent', databaseUrl: url, schema: b });
    try {
      assert.equal(sa.dialect, 'postgres');
      await sa.appendAudit([{ kind: 'decision', data: { x: 1 } }]);
      assert.equal((await sa.auditHead()).seq, 1);
      assert.equal((await sb.auditHead()).seq, 0, 'schema b does not see schema a');
    } finally {
      await sa.close();
      await sb.close();
    }
  });

  it('reports the records of each audit commit', async () => {
    const commits: number[] = [];
    const store = await openStore({ home: '/nonexistent', databaseUrl: url, schema: newSchema(), onAuditCommit: (n) => commits.push(n) });
    try {
      await store.appendAudit([{ kind: 'decision', data: { a: 1 } }, { kind: 'decision', data: { a: 2 } }]);
      await assert.rejects(store.appendAudit([{ kind: 'Not A Kind', data: {} }]));
      await store.appendAudit([{ kind: 'decision', data: { a: 3 } }]);
      assert.deepEqual(commits, [2, 1], 'a refused batch commits nothing');
    } finally {
      await store.close();
    }
  });

  it('refuses a malformed schema name or URL with a ConfigError', () => {
    assert.throws(() => new PostgresStore({ url, schema: 'x; DROP TABLE y' }), ConfigError);
    assert.throws(() => new PostgresStore({ url: 'mysql://h/db' }), ConfigError);
    assert.throws(() => new PostgresStore({ url: `${url}?options=-c%20search_path%3Dother`, schema: 'esq' }), ConfigError);
  });
});
