/**
 * UTC calendar periods. The period is part of every ledger key (`day:2026-11-22`, `month:2026-11`),
 * so a new day or month starts from zero by itself: nothing resets counters, nothing can drift.
 */
export type BudgetWindow = 'day' | 'month';
export const WINDOWS: readonly BudgetWindow[] = ['day', 'month'];

export interface Period {
  window: BudgetWindow;
  /** Ledger key component, e.g. `day:2026-11-22`. */
  id: string;
  startsAt: Date;
  /** Exclusive: the first instant of the next period. */
  endsAt: Date;
}

export function periodOf(window: BudgetWindow, now: Date): Period {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  if (window === 'day') {
    const d = now.getUTCDate();
    const startsAt = new Date(Date.UTC(y, m, d));
    return { window, id: `day:${startsAt.toISOString().slice(0, 10)}`, startsAt, endsAt: new Date(Date.UTC(y, m, d + 1)) };
  }
  const startsAt = new Date(Date.UTC(y, m, 1));
  return { window, id: `month:${startsAt.toISOString().slice(0, 7)}`, startsAt, endsAt: new Date(Date.UTC(y, m + 1, 1)) };
}

/** Whole seconds from `now` until the period ends (at least 1). */
export function secondsUntilEnd(period: Period, now: Date): number {
  return Math.max(1, Math.ceil((period.endsAt.getTime() - now.getTime()) / 1000));
}
