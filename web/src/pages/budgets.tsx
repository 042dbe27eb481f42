/**
 * Budget utilisation per tenant and period, with the alert thresholds (50/80/95/100 %) marked on
 * each bar. Reads GET /v1/budgets; a server without it (404) gets an explanatory empty state.
 */
import { api, ApiError } from '../api';
import { Badge, EmptyState, ErrorNote, Loading, PageHeading, useData } from '../components/ui';
import { formatMicros, percent } from '../format';
import type { BudgetLine } from '../types';

type Result = { available: true; items: BudgetLine[] } | { available: false };

async function loadBudgets(): Promise<Result> {
  try {
    const r = await api<{ items: BudgetLine[] }>('/v1/budgets');
    return { available: true, items: r.items };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { available: false };
    throw e;
  }
}

function level(u: number): { tone: 'ok' | 'info' | 'warn' | 'danger'; text: string } {
  if (u >= 1) return { tone: 'danger', text: 'limit reached' };
  if (u >= 0.95) return { tone: 'danger', text: 'above 95 %' };
  if (u >= 0.8) return { tone: 'warn', text: 'above 80 %' };
  if (u >= 0.5) return { tone: 'info', text: 'above 50 %' };
  return { tone: 'ok', text: 'below 50 %' };
}

export function UtilisationBar({ line }: { line: BudgetLine }) {
  const used = line.utilisation;
  const reserved = line.limitMicros > 0 ? line.reservedMicros / line.limitMicros : 0;
  const lv = level(used);
  const thresholds = line.thresholds.length ? line.thresholds : [0.5, 0.8, 0.95, 1];
  return (
    <div
      class="meter"
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(Math.min(used, 1) * 100)}
      aria-valuetext={`${percent(used)} used${reserved > 0 ? `, ${percent(reserved)} more reserved` : ''}; alerts at ${thresholds.map((t) => percent(t)).join(', ')}`}
      aria-label={`${line.tenant} ${line.budget} ${line.period === 'day' ? 'daily' : 'monthly'} budget`}
    >
      <div class={`meter-fill meter-${lv.tone}`} style={{ width: `${Math.min(used, 1) * 100}%` }} />
      {reserved > 0 && used < 1 && <div class="meter-reserved" style={{ left: `${Math.min(used, 1) * 100}%`, width: `${Math.min(reserved, 1 - Math.min(used, 1)) * 100}%` }} />}
      {thresholds.map((t) => (
        <span key={t} class={`meter-tick${line.alerted.includes(t) ? ' meter-tick-hit' : ''}`} style={{ left: `${Math.min(t, 1) * 100}%` }} aria-hidden="true">
          <span class="meter-tick-label">{Math.round(t * 100)}</span>
        </span>
      ))}
    </div>
  );
}

export function Budgets() {
  const r = useData(loadBudgets, [], 30_000);
  return (
    <>
      <PageHeading title="Budgets" />
      {r.error && !r.data ? (
        <ErrorNote error={r.error} />
      ) : !r.data ? (
        <Loading what="budgets" />
      ) : !r.data.available ? (
        <EmptyState title="No budgets to show">
          <p>
            This ESQ server does not report budgets yet (<code>GET /v1/budgets</code> is not available). Budgets are daily or monthly spending limits per tenant, set in the
            policy pack's <code>cost</code> settings; once the server reports them, each one's utilisation appears here with its 50, 80, 95 and 100 % alert thresholds.
          </p>
        </EmptyState>
      ) : r.data.items.length === 0 ? (
        <EmptyState title="No budgets to show">
          <p>
            No budget has been drawn on yet. Add daily or monthly limits to the policy pack's <code>cost</code> settings; each tenant's spend appears here once its first
            priced call (an action with a <code>cost</code> estimate) is decided.
          </p>
        </EmptyState>
      ) : (
        <BudgetTable items={r.data.items} />
      )}
    </>
  );
}

function BudgetTable({ items }: { items: BudgetLine[] }) {
  const sorted = [...items].sort((a, b) => a.tenant.localeCompare(b.tenant) || a.budget.localeCompare(b.budget) || a.period.localeCompare(b.period));
  return (
    <>
      <p class="legend" aria-hidden="true">
        <span class="legend-tick" /> alert threshold <span class="legend-tick legend-tick-hit" /> alert sent <span class="legend-reserved" /> reserved by calls in flight
      </p>
      <div class="table-wrap">
        <table class="data budgets">
          <caption>Utilisation of each budget in its current period</caption>
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Budget</th>
              <th scope="col">Period</th>
              <th scope="col" class="meter-col">
                Utilisation
              </th>
              <th scope="col" class="num">
                Spent
              </th>
              <th scope="col" class="num">
                Reserved
              </th>
              <th scope="col" class="num">
                Limit
              </th>
              <th scope="col">Alerts sent</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((l) => {
              const lv = level(l.utilisation);
              return (
                <tr key={`${l.tenant}/${l.budget}/${l.period}/${l.periodKey}`}>
                  <th scope="row">{l.tenant}</th>
                  <td>{l.budget}</td>
                  <td>
                    {l.period === 'day' ? 'Day' : 'Month'} <span class="sub mono">{l.periodKey}</span>
                  </td>
                  <td class="meter-col">
                    <UtilisationBar line={l} />
                    <div class="meter-value">
                      {percent(l.utilisation)} used <Badge tone={lv.tone}>{lv.text}</Badge>
                    </div>
                  </td>
                  <td class="num">{formatMicros(l.spentMicros)}</td>
                  <td class="num">{formatMicros(l.reservedMicros)}</td>
                  <td class="num">{formatMicros(l.limitMicros)}</td>
                  <td>{l.alerted.length === 0 ? <span class="muted">none</span> : l.alerted.map((t) => percent(t)).join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
