/**
 * The budget ledger port. One row per (budget, period) holds the limit, what was spent and what is
 * reserved; reservations and alerts have their own rows. Every method is one transaction, so the
 * ledger is correct with any number of replicas sharing the database (nothing is kept in memory).
 *
 * Implementations: `SqliteBudgetStore` (embedded) and `PostgresBudgetStore` (shared), both the same
 * SQL programs (`ledger-programs.ts`) driven by a dialect runner.
 */
import type { Micros } from './money.js';

/** One budget a reservation draws on, in one period. */
export interface LedgerLine {
  /** e.g. `tenant=acme` or `tenant=acme;principal=bob`. */
  key: string;
  /** e.g. `day:2026-11-22`. */
  period: string;
  limitMicros: Micros;
}

export interface LineState {
  key: string;
  period: string;
  limitMicros: Micros;
  spentMicros: Micros;
  /** Open reservations not yet settled, released or expired. */
  reservedMicros: Micros;
}

/** A budget threshold crossing, recorded once per (budget, period, threshold) whatever the replicas. */
export interface AlertRecord {
  /** Stable for this (budget, period, threshold): every delivery carries it. */
  idempotencyKey: string;
  budgetKey: string;
  period: string;
  /** Percent of the limit: 50, 80, 95, 100… */
  thresholdPercent: number;
  tenant: string;
  limitMicros: Micros;
  /** Spent + reserved when the threshold was crossed. */
  committedMicros: Micros;
  recordedAtMs: number;
  /** Delivery attempts claimed so far (1 for the first). */
  attempts: number;
}

export interface ReserveInput {
  id: string;
  tenant: string;
  principal?: string;
  lines: LedgerLine[];
  amountMicros: Micros;
  nowMs: number;
  expiresAtMs: number;
  /** Alert thresholds in percent, ascending. */
  thresholds: readonly number[];
  /** How long the recording replica owns delivery before another may retry it. */
  alertLeaseMs: number;
}

export type ReserveOutcome =
  | { ok: true; lines: LineState[]; alerts: AlertRecord[] }
  /** Refused: nothing was reserved anywhere. `line` is the budget that would have been exceeded, as it stood. */
  | { ok: false; line: LineState };

export type SettleStatus =
  /** The reservation was open: its hold is replaced by the actual cost. */
  | 'settled'
  /** It had expired or been released: the hold was already gone, the actual cost is still recorded. */
  | 'settled-late'
  /** Already settled (a retry): nothing changed. `actualMicros` is what was recorded. */
  | 'already-settled'
  | 'unknown';

export interface SettleOutcome {
  status: SettleStatus;
  actualMicros?: Micros;
  lines: LineState[];
  alerts: AlertRecord[];
}

export interface ReservationRecord {
  id: string;
  tenant: string;
  principal: string | null;
  amountMicros: Micros;
  actualMicros: Micros | null;
  state: 'open' | 'settled' | 'released' | 'expired';
  lines: Array<{ key: string; period: string }>;
  createdAtMs: number;
  expiresAtMs: number;
}

export interface BudgetStore {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<string[]>;
  /** Atomically holds `amountMicros` on every line, or on none (refused when spent + reserved + amount > limit). */
  reserve(input: ReserveInput): Promise<ReserveOutcome>;
  settle(id: string, actualMicros: Micros, nowMs: number, thresholds: readonly number[], alertLeaseMs: number): Promise<SettleOutcome>;
  /** True when an open reservation was released; false when unknown or no longer open. */
  release(id: string, nowMs: number): Promise<boolean>;
  /** Releases open reservations whose TTL has passed (optionally one tenant's); returns how many. */
  expire(nowMs: number, tenant?: string, max?: number): Promise<number>;
  usage(lines: ReadonlyArray<{ key: string; period: string; limitMicros: Micros }>): Promise<LineState[]>;
  getReservation(id: string): Promise<ReservationRecord | undefined>;
  /** Undelivered alerts whose lease has lapsed, leased to the caller for `leaseMs`. */
  claimAlerts(nowMs: number, leaseMs: number, max: number): Promise<AlertRecord[]>;
  markAlertDelivered(idempotencyKey: string, nowMs: number): Promise<void>;
  /** Alerts recorded for a budget period (reports, tests). */
  listAlerts(budgetKey: string, period: string): Promise<Array<AlertRecord & { deliveredAtMs: number | null }>>;
  close(): Promise<void>;
}
