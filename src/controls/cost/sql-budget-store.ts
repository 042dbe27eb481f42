/**
 * The ledger transactions, written once for SQLite and PostgreSQL (see sql-runner.ts).
 *
 * Why the limit holds under any concurrency: a hold is one upsert whose WHERE clause is the budget
 * rule itself — `spent + reserved + amount <= limit` — evaluated on the row it updates. PostgreSQL
 * re-checks that clause on the latest row version after waiting for the row lock (READ COMMITTED
 * upsert), SQLite runs it under the database write lock; so no two holds can both squeeze in.
 * A reservation over several budgets (day and month, tenant and principal) takes the rows in one
 * sorted order (no deadlocks) and is rolled back whole if any refuses.
 */
import { createHash } from 'node:crypto';
import type {
  AlertRecord, BudgetStore, LedgerLine, LineState, ReservationRecord, ReserveInput, ReserveOutcome, SettleOutcome,
} from './budget-store.js';
import { BUDGET_MIGRATIONS, BUDGET_MIGRATIONS_TABLE } from './budget-migrations.js';
import type { Micros } from './money.js';
import { Rollback, int, stmt, type Dialect, type Program, type Row, type SqlRunner } from './sql-runner.js';

/** Same key for the same (budget, period, threshold) on every replica and every retry. */
export function alertIdempotencyKey(budgetKey: string, period: string, threshold: number): string {
  return `esq-budget-${createHash('sha256').update(`${budgetKey}\n${period}\n${threshold}`).digest('hex').slice(0, 32)}`;
}

/** Thresholds (percent) that `committed` reached in this step and `before` had not. */
export function crossedThresholds(before: Micros, after: Micros, limit: Micros, thresholds: readonly number[]): number[] {
  if (limit <= 0) return [];
  // Integer comparison: committed × 100 ≥ threshold × limit, no float rounding at the boundary.
  const reached = (v: Micros, t: number) => BigInt(v) * 100n >= BigInt(t) * BigInt(limit);
  return thresholds.filter((t) => reached(after, t) && !reached(before, t));
}

/** Lock order for ledger rows. Keys are ASCII (ids URI-encoded), so this is also PostgreSQL's "C" order. */
const byKey = (a: { key: string; period: string }, b: { key: string; period: string }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : 0;

const LEDGER = 'budget_key, period, limit_micros, spent_micros, reserved_micros';
const ALERT = 'idempotency_key, budget_key, period, threshold, tenant, limit_micros, committed_micros, recorded_ms, attempts';

function lineFrom(r: Row): LineState {
  return { key: String(r.budget_key), period: String(r.period), limitMicros: int(r.limit_micros), spentMicros: int(r.spent_micros), reservedMicros: int(r.reserved_micros) };
}

function alertFrom(r: Row): AlertRecord {
  return {
    idempotencyKey: String(r.idempotency_key),
    budgetKey: String(r.budget_key),
    period: String(r.period),
    thresholdPercent: int(r.threshold),
    tenant: String(r.tenant),
    limitMicros: int(r.limit_micros),
    committedMicros: int(r.committed_micros),
    recordedAtMs: int(r.recorded_ms),
    attempts: int(r.attempts),
  };
}

function reservationFrom(r: Row): ReservationRecord {
  return {
    id: String(r.id),
    tenant: String(r.tenant),
    principal: r.principal === null || r.principal === undefined ? null : String(r.principal),
    amountMicros: int(r.amount_micros),
    actualMicros: r.actual_micros === null || r.actual_micros === undefined ? null : int(r.actual_micros),
    state: String(r.state) as ReservationRecord['state'],
    lines: (JSON.parse(String(r.lines)) as Array<[string, string]>).map(([key, period]) => ({ key, period })),
    createdAtMs: int(r.created_ms),
    expiresAtMs: int(r.expires_ms),
  };
}

/** Records every threshold this step crossed; returns those this transaction was first to record. */
function* recordCrossings(
  tenant: string, line: LineState, before: Micros, thresholds: readonly number[], nowMs: number, leaseMs: number,
): Program<AlertRecord[]> {
  const mine: AlertRecord[] = [];
  const after = line.spentMicros + line.reservedMicros;
  for (const t of crossedThresholds(before, after, line.limitMicros, thresholds)) {
    // The unique (budget, period, threshold) row decides: exactly one transaction, on one replica, inserts it.
    const rows = yield stmt(
      `INSERT INTO budget_alerts (${ALERT}, lease_until_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT DO NOTHING RETURNING ${ALERT}`,
      alertIdempotencyKey(line.key, line.period, t), line.key, line.period, t, tenant, line.limitMicros, after, nowMs, nowMs + leaseMs,
    );
    if (rows[0]) mine.push(alertFrom(rows[0]));
  }
  return mine;
}

function* readLine(line: { key: string; period: string; limitMicros: Micros }): Program<LineState> {
  const rows = yield stmt(`SELECT ${LEDGER} FROM budget_ledger WHERE budget_key = ? AND period = ?`, line.key, line.period);
  return rows[0] ? lineFrom(rows[0]) : { key: line.key, period: line.period, limitMicros: line.limitMicros, spentMicros: 0, reservedMicros: 0 };
}

function* reserveProgram(dialect: Dialect, input: ReserveInput): Program<ReserveOutcome> {
  const lines = [...input.lines].sort(byKey);
  // A first hold larger than the limit would slip in through the INSERT branch, which has no WHERE.
  const tooBig = lines.find((l) => input.amountMicros > l.limitMicros);
  if (tooBig) return { ok: false, line: yield* readLine(tooBig) };
  const reservation = stmt(
    `INSERT INTO budget_reservations (id, tenant, principal, amount_micros, state, lines, created_ms, expires_ms)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
    input.id, input.tenant, input.principal ?? null, input.amountMicros, JSON.stringify(lines.map((l) => [l.key, l.period])), input.nowMs, input.expiresAtMs,
  );
  if (lines.length === 0) {
    yield reservation;
    return { ok: true, lines: [], alerts: [] };
  }
  // One upsert for every line, rows in sorted order (so concurrent reservations lock them in one order).
  const holds = stmt(
    `INSERT INTO budget_ledger (${LEDGER}, updated_ms) VALUES ${lines.map(() => '(?, ?, ?, 0, ?, ?)').join(', ')}
     ON CONFLICT (budget_key, period) DO UPDATE SET
       reserved_micros = budget_ledger.reserved_micros + excluded.reserved_micros,
       limit_micros = excluded.limit_micros,
       updated_ms = excluded.updated_ms
     WHERE budget_ledger.spent_micros + budget_ledger.reserved_micros + excluded.reserved_micros <= excluded.limit_micros
     RETURNING ${LEDGER}`,
    ...lines.flatMap((l) => [l.key, l.period, l.limitMicros, input.amountMicros, input.nowMs]),
  );
  // The ledger rows stay locked from this statement to COMMIT: one round trip on PostgreSQL, where the
  // reservation row rides along in the same statement (SQLite, in-process, simply runs both).
  let rows: Row[];
  if (dialect === 'postgres') {
    rows = yield stmt(`WITH reservation AS (${reservation.sql}) ${holds.sql}`, ...reservation.params, ...holds.params);
  } else {
    yield reservation;
    rows = yield holds;
  }
  const states = rows.map(lineFrom).sort(byKey);
  if (states.length < lines.length) {
    // Refused somewhere: roll every hold back and report the (first) line that would have gone over.
    const refused = lines.find((l) => !states.some((s) => byKey(s, l) === 0))!;
    throw new Rollback<ReserveOutcome>({ ok: false, line: { ...(yield* readLine(refused)), limitMicros: refused.limitMicros } });
  }
  const alerts: AlertRecord[] = [];
  for (const state of states) {
    const before = state.spentMicros + state.reservedMicros - input.amountMicros;
    alerts.push(...(yield* recordCrossings(input.tenant, state, before, input.thresholds, input.nowMs, input.alertLeaseMs)));
  }
  return { ok: true, lines: states, alerts };
}

/** Moves amounts on the ledger rows of a reservation in one statement; returns the rows after. */
function* adjustLines(
  dialect: Dialect, lines: ReadonlyArray<{ key: string; period: string }>, releaseMicros: Micros, spendMicros: Micros, nowMs: number,
): Program<Array<{ state: LineState; before: Micros }>> {
  if (lines.length === 0) return [];
  const pairs = lines.map(() => '(?, ?)').join(', ');
  const keys = lines.flatMap((l) => [l.key, l.period]);
  // PostgreSQL locks the rows in sorted order first (an UPDATE alone has no defined lock order, and
  // two settles taking the same rows in opposite orders would deadlock). Byte order ("C") is the order
  // `byKey` gives for these ASCII keys (ids are URI-encoded), the order reservations lock them in.
  // SQLite holds the file lock.
  const sql =
    dialect === 'postgres'
      ? `WITH locked AS (SELECT budget_key, period FROM budget_ledger WHERE (budget_key, period) IN (VALUES ${pairs}) ORDER BY budget_key COLLATE "C", period COLLATE "C" FOR UPDATE)
         UPDATE budget_ledger b SET reserved_micros = b.reserved_micros - ?, spent_micros = b.spent_micros + ?, updated_ms = ?
         FROM locked WHERE b.budget_key = locked.budget_key AND b.period = locked.period
         RETURNING b.budget_key, b.period, b.limit_micros, b.spent_micros, b.reserved_micros`
      : `UPDATE budget_ledger SET reserved_micros = reserved_micros - ?, spent_micros = spent_micros + ?, updated_ms = ?
         WHERE (budget_key, period) IN (VALUES ${pairs}) RETURNING ${LEDGER}`;
  const params = dialect === 'postgres' ? [...keys, releaseMicros, spendMicros, nowMs] : [releaseMicros, spendMicros, nowMs, ...keys];
  const rows = yield stmt(sql, ...params);
  if (rows.length !== lines.length) throw new Error('a budget ledger row is missing: the budget tables were altered outside ESQ');
  return rows.map(lineFrom).sort(byKey).map((state) => ({ state, before: state.spentMicros - spendMicros + state.reservedMicros + releaseMicros }));
}

type State = ReservationRecord['state'];

function* readReservation(id: string): Program<ReservationRecord | undefined> {
  const rows = yield stmt('SELECT * FROM budget_reservations WHERE id = ?', id);
  return rows[0] ? reservationFrom(rows[0]) : undefined;
}

/** Moves a reservation in one of `from` states to `to`; says which state it left, or undefined if none moved. */
function* transition(
  dialect: Dialect, id: string, to: State, from: readonly State[], actual: Micros | null, nowMs: number,
): Program<{ was: State; r: ReservationRecord } | undefined> {
  if (dialect === 'postgres') {
    // Lock, read the old state and update in one round trip.
    const rows = yield stmt(
      `UPDATE budget_reservations AS r SET state = ?, actual_micros = ?, closed_ms = ?
       FROM (SELECT id, state AS old_state FROM budget_reservations WHERE id = ? FOR UPDATE) AS o
       WHERE r.id = o.id AND o.old_state IN (${from.map(() => '?').join(', ')})
       RETURNING o.old_state, r.*`,
      to, actual, nowMs, id, ...from,
    );
    return rows[0] ? { was: String(rows[0].old_state) as State, r: reservationFrom(rows[0]) } : undefined;
  }
  // SQLite already holds the database write lock (BEGIN IMMEDIATE): read, then update.
  const r = yield* readReservation(id);
  if (!r || !from.includes(r.state)) return undefined;
  yield stmt('UPDATE budget_reservations SET state = ?, actual_micros = ?, closed_ms = ? WHERE id = ?', to, actual, nowMs, id);
  return { was: r.state, r };
}

function* settleProgram(
  dialect: Dialect, id: string, actual: Micros, nowMs: number, thresholds: readonly number[], leaseMs: number,
): Program<SettleOutcome> {
  const t = yield* transition(dialect, id, 'settled', ['open', 'expired', 'released'], actual, nowMs);
  if (!t) {
    const r = yield* readReservation(id);
    return r ? { status: 'already-settled', actualMicros: r.actualMicros ?? 0, lines: [], alerts: [] } : { status: 'unknown', lines: [], alerts: [] };
  }
  const wasOpen = t.was === 'open';
  // Money spent is recorded even when the hold had lapsed: the ledger is what was really spent.
  const adjusted = yield* adjustLines(dialect, t.r.lines, wasOpen ? t.r.amountMicros : 0, actual, nowMs);
  const alerts: AlertRecord[] = [];
  for (const { state, before } of adjusted) alerts.push(...(yield* recordCrossings(t.r.tenant, state, before, thresholds, nowMs, leaseMs)));
  return { status: wasOpen ? 'settled' : 'settled-late', actualMicros: actual, lines: adjusted.map((a) => a.state), alerts };
}

function* releaseProgram(dialect: Dialect, id: string, nowMs: number): Program<boolean> {
  const t = yield* transition(dialect, id, 'released', ['open'], null, nowMs);
  if (!t) return false;
  yield* adjustLines(dialect, t.r.lines, t.r.amountMicros, 0, nowMs);
  return true;
}

function* expireProgram(dialect: Dialect, nowMs: number, tenant: string | undefined, max: number): Program<number> {
  // SKIP LOCKED: replicas sweeping at once share the work instead of queueing on the same rows.
  const rows = yield stmt(
    `SELECT * FROM budget_reservations WHERE state = 'open' AND expires_ms <= ?${tenant !== undefined ? ' AND tenant = ?' : ''}
     ORDER BY expires_ms LIMIT ?${dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''}`,
    ...(tenant !== undefined ? [nowMs, tenant, max] : [nowMs, max]),
  );
  if (rows.length === 0) return 0;
  const totals = new Map<string, { key: string; period: string; micros: Micros }>();
  for (const row of rows) {
    const r = reservationFrom(row);
    yield stmt(`UPDATE budget_reservations SET state = 'expired', closed_ms = ? WHERE id = ?`, nowMs, r.id);
    for (const l of r.lines) {
      const k = `${l.key}\u0000${l.period}`;
      const t = totals.get(k) ?? { ...l, micros: 0 };
      t.micros += r.amountMicros;
      totals.set(k, t);
    }
  }
  for (const t of [...totals.values()].sort(byKey)) yield* adjustLines(dialect, [t], t.micros, 0, nowMs);
  return rows.length;
}

function* claimAlertsProgram(dialect: Dialect, nowMs: number, leaseMs: number, max: number): Program<AlertRecord[]> {
  const rows = yield stmt(
    `UPDATE budget_alerts SET lease_until_ms = ?, attempts = attempts + 1
     WHERE idempotency_key IN (
       SELECT idempotency_key FROM budget_alerts WHERE delivered_ms IS NULL AND lease_until_ms <= ?
       ORDER BY recorded_ms LIMIT ?${dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''})
     RETURNING ${ALERT}`,
    nowMs + leaseMs, nowMs, max,
  );
  return rows.map(alertFrom);
}

/** The BudgetStore over a dialect runner. Construct through SqliteBudgetStore / PostgresBudgetStore. */
export class SqlBudgetStore implements BudgetStore {
  constructor(protected readonly runner: SqlRunner) {}

  get dialect(): Dialect {
    return this.runner.dialect;
  }

  migrate(): Promise<string[]> {
    return this.runner.migrate(BUDGET_MIGRATIONS_TABLE, BUDGET_MIGRATIONS);
  }

  reserve(input: ReserveInput): Promise<ReserveOutcome> {
    return this.runner.tx(() => reserveProgram(this.dialect, input));
  }

  settle(id: string, actualMicros: Micros, nowMs: number, thresholds: readonly number[], alertLeaseMs: number): Promise<SettleOutcome> {
    return this.runner.tx(() => settleProgram(this.dialect, id, actualMicros, nowMs, thresholds, alertLeaseMs));
  }

  release(id: string, nowMs: number): Promise<boolean> {
    return this.runner.tx(() => releaseProgram(this.dialect, id, nowMs));
  }

  expire(nowMs: number, tenant?: string, max = 500): Promise<number> {
    return this.runner.tx(() => expireProgram(this.dialect, nowMs, tenant, max));
  }

  async usage(lines: ReadonlyArray<LedgerLine>): Promise<LineState[]> {
    if (lines.length === 0) return [];
    // One statement, no transaction: a single round trip on the admission path.
    const rows = (await this.runner.query(stmt(
      `SELECT ${LEDGER} FROM budget_ledger WHERE (budget_key, period) IN (VALUES ${lines.map(() => '(?, ?)').join(', ')})`,
      ...lines.flatMap((l) => [l.key, l.period]),
    ))).map(lineFrom);
    // The configured limit is reported: a row keeps the limit of its last reservation.
    return lines.map((l) => ({ ...(rows.find((r) => byKey(r, l) === 0) ?? { key: l.key, period: l.period, spentMicros: 0, reservedMicros: 0 }), limitMicros: l.limitMicros }));
  }

  getReservation(id: string): Promise<ReservationRecord | undefined> {
    return this.runner.tx(() => readReservation(id));
  }

  claimAlerts(nowMs: number, leaseMs: number, max: number): Promise<AlertRecord[]> {
    return this.runner.tx(() => claimAlertsProgram(this.dialect, nowMs, leaseMs, max));
  }

  async markAlertDelivered(idempotencyKey: string, nowMs: number): Promise<void> {
    await this.runner.tx(function* () {
      yield stmt('UPDATE budget_alerts SET delivered_ms = ? WHERE idempotency_key = ? AND delivered_ms IS NULL', nowMs, idempotencyKey);
    });
  }

  listAlerts(budgetKey: string, period: string): Promise<Array<AlertRecord & { deliveredAtMs: number | null }>> {
    return this.runner.tx(function* () {
      const rows = yield stmt(`SELECT ${ALERT}, delivered_ms FROM budget_alerts WHERE budget_key = ? AND period = ? ORDER BY threshold`, budgetKey, period);
      return rows.map((r) => ({ ...alertFrom(r), deliveredAtMs: r.delivered_ms === null || r.delivered_ms === undefined ? null : int(r.delivered_ms) }));
    });
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}
