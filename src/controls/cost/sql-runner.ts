/**
 * One implementation of each ledger transaction for both databases. A transaction is written once as
 * a generator that yields SQL statements and receives their rows; a runner drives it:
 *  - SQLite: synchronously inside one `BEGIN IMMEDIATE` (better-sqlite3), so nothing else on a shared
 *    connection can interleave with it and writers in other processes take turns on the file lock;
 *  - PostgreSQL: one pooled client, BEGIN … COMMIT, retried on deadlock/serialization failure.
 * Statements use `?` placeholders (rewritten to `$n` for PostgreSQL) and must not contain a literal `?`.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';
export interface Stmt {
  sql: string;
  params: readonly unknown[];
}
export type Row = Record<string, unknown>;
export type Program<T> = Generator<Stmt, T, Row[]>;

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export interface SqlRunner {
  readonly dialect: Dialect;
  /** Runs `program` as one transaction (all its statements commit together or none do). */
  tx<T>(program: () => Program<T>): Promise<T>;
  /** One statement on its own (autocommit): a single round trip for hot paths. */
  query(s: Stmt): Promise<Row[]>;
  /** Applies pending `migrations`, recorded in `table`; safe when several processes start at once. */
  migrate(table: string, migrations: readonly Migration[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Thrown by a program to roll its transaction back and still return `value` (e.g. a refusal). */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

export function stmt(sql: string, ...params: unknown[]): Stmt {
  return { sql, params };
}

/** A BIGINT/INTEGER column as a number (pg returns BIGINT as text). */
export function int(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`expected a safe integer from the database, got ${String(v)}`);
  return n;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
export function checkIdent(name: string, what: string): string {
  if (!IDENT.test(name)) throw new TypeError(`${what} "${name}" must be lowercase letters, digits and underscores`);
  return name;
}

function migrationsTable(table: string, dialect: Dialect): string {
  return `CREATE TABLE IF NOT EXISTS ${checkIdent(table, 'migrations table')} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)${dialect === 'sqlite' ? ' STRICT' : ''}`;
}

export class SqliteRunner implements SqlRunner {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database, private readonly ownsDb = false) {}

  private prepared(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private exec(s: Stmt): Row[] {
    const p = this.prepared(s.sql);
    const params = s.params.map((v) => (v === undefined ? null : v));
    if (p.reader) return p.all(...params) as Row[];
    p.run(...params);
    return [];
  }

  async tx<T>(program: () => Program<T>): Promise<T> {
    try {
      return this.db.transaction(() => {
        const g = program();
        let step = g.next();
        while (!step.done) step = g.next(this.exec(step.value));
        return step.value;
      }).immediate();
    } catch (e) {
      if (e instanceof Rollback) return e.value as T;
      throw e;
    }
  }

  async query(s: Stmt): Promise<Row[]> {
    return this.exec(s);
  }

  async migrate(table: string, migrations: readonly Migration[]): Promise<string[]> {
    return this.db.transaction(() => {
      this.db.exec(migrationsTable(table, 'sqlite'));
      const done = new Set((this.db.prepare(`SELECT version FROM ${table}`).all() as Array<{ version: number }>).map((r) => r.version));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        this.db.exec(m.sqlite);
        this.db.prepare(`INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`).run(m.version, m.name, new Date().toISOString());
        applied.push(`${m.version}_${m.name}`);
      }
      return applied;
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock detected, serialization failure
// First half of the advisory lock key for migrations ("ESQC"); the second half hashes table and schema.
const MIGRATE_LOCK = 0x45_53_51_43;

function toDollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export class PostgresRunner implements SqlRunner {
  readonly dialect = 'postgres' as const;
  private readonly texts = new Map<string, string>();
  constructor(readonly pool: pg.Pool, private readonly ownsPool = false, private readonly schema?: string) {}

  private text(sql: string): string {
    let t = this.texts.get(sql);
    if (t === undefined) this.texts.set(sql, (t = toDollarParams(sql)));
    return t;
  }

  async tx<T>(program: () => Program<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(program);
      } catch (e) {
        if (e instanceof Rollback) return e.value as T;
        if (attempt >= 5 || !RETRYABLE.has((e as { code?: string }).code ?? '')) throw e;
      }
    }
  }

  async query(s: Stmt): Promise<Row[]> {
    return (await this.pool.query(this.text(s.sql), s.params as unknown[])).rows as Row[];
  }

  private async once<T>(program: () => Program<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const g = program();
      let step = g.next();
      while (!step.done) {
        const res = await client.query(this.text(step.value.sql), step.value.params as unknown[]);
        step = g.next(res.rows as Row[]);
      }
      await client.query('COMMIT');
      return step.value;
    } catch (e) {
      // A connection that cannot even roll back is discarded rather than returned to the pool.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async migrate(table: string, migrations: readonly Migration[]): Promise<string[]> {
    const self = this;
    return this.tx(function* () {
      // Concurrent migrators of the same schema wait on this lock, then find the versions recorded.
      yield stmt('SELECT pg_advisory_xact_lock(?, hashtext(? || coalesce(?::text, current_schema(), \'\')))', MIGRATE_LOCK, table, self.schema ?? null);
      if (self.schema) yield stmt(`CREATE SCHEMA IF NOT EXISTS "${checkIdent(self.schema, 'schema')}"`);
      yield stmt(migrationsTable(table, 'postgres'));
      const done = new Set((yield stmt(`SELECT version FROM ${table}`)).map((r) => int(r.version)));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        yield stmt(m.postgres);
        yield stmt(`INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`, m.version, m.name, new Date().toISOString());
        applied.push(`${m.version}_${m.name}`);
      }
      return applied;
    });
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
