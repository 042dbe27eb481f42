/**
 * Test support for the PostgreSQL-backed controls: the service gate (skip with a message, or fail
 * under ESQ_REQUIRE_SERVICES=1) and one throwaway schema per use, all dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { needService, TEST_DATABASE_URL, type ServiceGate } from '../../../test/services.js';

export const PG_URL = TEST_DATABASE_URL;

export async function pgSql(text: string, schema?: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export function pgGate(): Promise<ServiceGate> {
  return needService('PostgreSQL', async () => void (await pgSql('SELECT 1')), `set ESQ_DATABASE_URL (tried ${PG_URL.replace(/:[^:@/]*@/, ':***@')})`);
}

/** Hands out fresh schema names and drops them all in `dropAll()`. */
export function schemaPool(prefix = 'esq_ctl_'): { next(): string; dropAll(): Promise<void> } {
  const made: string[] = [];
  return {
    next() {
      const s = `${prefix}${randomBytes(6).toString('hex')}`;
      made.push(s);
      return s;
    },
    async dropAll() {
      for (const s of made.splice(0)) await pgSql(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    },
  };
}
