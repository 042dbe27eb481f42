/**
 * Overview: violations over time, decision rate and latency, the approval backlog, the audit
 * chain and the last policy reload — computed by the server from the audit log (/console/api/overview).
 */
import type { ComponentChildren } from 'preact';
import { api } from '../api';
import { TimeChart } from '../components/chart';
import { Badge, ErrorNote, Loading, PageHeading, useData } from '../components/ui';
import { formatTime, timeAgo } from '../format';
import { Link } from '../router';
import type { Overview as Data } from '../types';

function micros(v: number | null): string {
  if (v === null) return '—';
  return v >= 1000 ? `${(v / 1000).toFixed(1)} ms` : `${v.toFixed(v < 10 ? 1 : 0)} µs`;
}

function Stat({ label, value, children, id }: { label: string; value: string; children?: ComponentChildren; id: string }) {
  return (
    <section class="stat" aria-labelledby={id}>
      <h2 id={id} class="stat-label">
        {label}
      </h2>
      <p class="stat-value">{value}</p>
      {children && <div class="stat-note">{children}</div>}
    </section>
  );
}

export function Overview() {
  const o = useData(() => api<Data>('/overview?minutes=60'), [], 15_000);
  if (o.error && !o.data) return (<><PageHeading title="Overview" /><ErrorNote error={o.error} /></>);
  if (!o.data) return (<><PageHeading title="Overview" /><Loading what="the overview" /></>);
  const d = o.data;
  const total = d.decisions.reduce((a, b) => a + b, 0);
  const blocked = d.blocked.reduce((a, b) => a + b, 0);
  const findings = d.guardrail.reduce((a, b) => a + b, 0);
  const audit = d.audit;

  return (
    <>
      <PageHeading title="Overview">
        <p class="muted small">
          Last {d.window.minutes} minutes · updated <time dateTime={d.generatedAt}>{timeAgo(d.generatedAt)}</time>
        </p>
      </PageHeading>
      <div class="stats">
        <Stat id="s-rate" label="Decisions per second" value={d.decisionsPerSecond < 10 ? d.decisionsPerSecond.toFixed(2) : d.decisionsPerSecond.toFixed(0)}>
          average over the last 5 minutes · {total} in the last hour
        </Stat>
        <Stat id="s-lat" label="Decision latency" value={`p50 ${micros(d.latency.p50Micros)}`}>
          p95 {micros(d.latency.p95Micros)} · rule evaluation, {d.latency.samples} decisions
        </Stat>
        <Stat id="s-backlog" label="Approval backlog" value={String(d.approvals.pending)}>
          {d.approvals.pending === 0 ? 'nothing waiting' : <Link href="/console/approvals">review the queue</Link>}
        </Stat>
        <Stat id="s-audit" label="Audit chain" value={audit.status === 'ok' ? 'Intact' : audit.status === 'broken' ? 'BROKEN' : audit.status === 'restricted' ? 'Not shown' : 'Unknown'}>
          {audit.status === 'ok' || audit.status === 'broken' ? (
            <>
              <Badge tone={audit.status === 'ok' ? 'ok' : 'danger'}>{audit.status === 'ok' ? 'verified' : 'tampered'}</Badge> {audit.checked} records
              {audit.checkpoint ? `, signed checkpoint at #${audit.checkpoint.seq}` : ', no checkpoint yet'} · checked{' '}
              <time dateTime={audit.verifiedAt}>{timeAgo(audit.verifiedAt)}</time>
              {audit.reason && <div class="field-error">{audit.reason}</div>}
            </>
          ) : (
            audit.reason
          )}
        </Stat>
        <Stat id="s-policy" label="Policy" value={`${d.policy.name}`}>
          <Badge tone={d.policy.ok ? 'ok' : 'danger'}>{d.policy.ok ? 'loaded' : 'last reload rejected'}</Badge> version <span class="mono">{d.policy.version.slice(0, 12)}</span>
          <div>
            loaded <time dateTime={d.policy.loadedAt} title={formatTime(d.policy.loadedAt)}>{timeAgo(d.policy.loadedAt)}</time> · {d.policy.reloads} reload{d.policy.reloads === 1 ? '' : 's'}, {d.policy.failures} rejected
          </div>
          {d.policy.error && <div class="field-error">{d.policy.error.message}</div>}
        </Stat>
      </div>

      <div class="charts">
        <TimeChart
          title={`Violations per minute: ${blocked} blocked decisions, ${findings} guardrail findings in the last hour`}
          t={d.t}
          series={[
            { label: 'Blocked decisions', values: d.blocked, color: '#b42318' },
            { label: 'Guardrail findings', values: d.guardrail, color: '#b54708', dash: [6, 4] },
          ]}
        />
        <TimeChart title={`Decisions per minute (${total} in the last hour)`} t={d.t} series={[{ label: 'Decisions', values: d.decisions, color: '#1d3fae' }]} height={180} />
      </div>
      {total === 0 && (
        <p class="note note-info">
          No decisions in the last hour. Traffic appears here as soon as callers ask the service: <code>POST /v1/decide</code>, the SDK's <code>guard()</code> in remote mode, or{' '}
          <code>esq decide</code> against this server.
        </p>
      )}
      {!d.sample.complete && <p class="help">Computed from the newest {d.sample.records} audit records, which do not reach back a full hour.</p>}
    </>
  );
}
