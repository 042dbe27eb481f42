/** Incidents: filter by time, rule and tenant; each opens to its rule, reason and argument hashes. */
import { useState } from 'preact/hooks';
import { api, ApiError, qs } from '../api';
import { Badge, EmptyState, ErrorNote, Loading, PageHeading, useData } from '../components/ui';
import { formatTime, isoToLocalInput, localInputToIso } from '../format';
import { Link, navigate, useLocation } from '../router';
import type { Incident, Page, PolicyInfo, SessionUser } from '../types';

const severityTone = (s: string) => (s === 'critical' ? 'danger' : s === 'high' ? 'warn' : s === 'medium' ? 'info' : 'neutral');

export function Incidents({ user }: { user: SessionUser }) {
  const { search } = useLocation();
  const filters = { since: search.get('since') ?? '', until: search.get('until') ?? '', ruleId: search.get('ruleId') ?? '', tenant: search.get('tenant') ?? '' };
  const key = JSON.stringify(filters);
  const [more, setMore] = useState<{ key: string; pages: Incident[]; cursor?: string }>({ key, pages: [] });
  const first = useData(() => api<Page<Incident>>(`/v1/incidents${qs({ ...filters, limit: 50 })}`), [key]);
  const policies = useData(() => api<PolicyInfo>('/v1/policies').catch(() => undefined), []);
  const extra = more.key === key ? more : { key, pages: [] as Incident[], cursor: undefined };
  const items = [...(first.data?.items ?? []), ...extra.pages];
  const cursor = extra.pages.length > 0 ? extra.cursor : first.data?.nextCursor;
  const filtered = Object.values(filters).some(Boolean);

  const loadMore = async () => {
    if (!cursor) return;
    const page = await api<Page<Incident>>(`/v1/incidents${qs({ ...filters, limit: 50, cursor })}`);
    setMore({ key, pages: [...extra.pages, ...page.items], ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
  };

  return (
    <>
      <PageHeading title="Incidents" />
      <Filters key={key} filters={filters} user={user} rules={policies.data?.rules.map((r) => r.id)} filtered={filtered} />

      {first.error && !first.data ? (
        <ErrorNote error={first.error} />
      ) : !first.data ? (
        <Loading what="incidents" />
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState title="No incidents match these filters">
            <p>Widen the time range, choose “Any rule”, or clear the filters.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No incidents yet">
            <p>
              An incident is filed whenever a rule blocks an action: who asked, which rule, why, and keyed hashes of the arguments (never their values). Blocked calls from
              <code> guard()</code>, <code>POST /v1/decide</code> or <code>esq decide</code> show up here.
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <div class="table-wrap">
            <table class="data">
              <caption>
                {items.length} incident{items.length === 1 ? '' : 's'}
                {filtered ? ' matching the filters' : ''}, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Action</th>
                  <th scope="col">Tenant</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link href={`/console/incidents/${encodeURIComponent(i.id)}`}>
                        <time dateTime={i.time}>{formatTime(i.time)}</time>
                        <span class="sr-only"> incident {i.id}</span>
                      </Link>
                    </td>
                    <td class="mono">{i.ruleId}</td>
                    <td>
                      <Badge tone={severityTone(i.severity)}>{i.severity}</Badge>
                    </td>
                    <td class="mono">{i.action}</td>
                    <td>{i.caller.tenant ?? <span class="muted">none</span>}</td>
                    <td class="clip">{i.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {cursor && (
            <button type="button" class="btn" onClick={() => void loadMore()}>
              Show older incidents
            </button>
          )}
        </>
      )}
    </>
  );
}

type FilterValues = { since: string; until: string; ruleId: string; tenant: string };

function Filters({ filters, user, rules, filtered }: { filters: FilterValues; user: SessionUser; rules: string[] | undefined; filtered: boolean }) {
  const [v, setV] = useState({ since: isoToLocalInput(filters.since || null), until: isoToLocalInput(filters.until || null), ruleId: filters.ruleId, tenant: filters.tenant });
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  const apply = (e: Event) => {
    e.preventDefault();
    navigate(`/console/incidents${qs({ since: localInputToIso(v.since), until: localInputToIso(v.until), ruleId: v.ruleId.trim(), tenant: user.tenant === null ? v.tenant.trim() : undefined })}`);
  };
  return (
    <form class="filters" onSubmit={apply} aria-label="Filter incidents">
      <div class="field">
        <label for="f-since">From</label>
        <input id="f-since" type="datetime-local" value={v.since} onInput={set('since')} />
      </div>
      <div class="field">
        <label for="f-until">Until</label>
        <input id="f-until" type="datetime-local" value={v.until} onInput={set('until')} />
      </div>
      <div class="field">
        <label for="f-rule">Rule</label>
        {rules ? (
          <select id="f-rule" value={v.ruleId} onChange={set('ruleId')}>
            <option value="">Any rule</option>
            {rules.map((r) => (
              <option value={r} key={r}>
                {r}
              </option>
            ))}
            {v.ruleId && !rules.includes(v.ruleId) && <option value={v.ruleId}>{v.ruleId}</option>}
          </select>
        ) : (
          <input id="f-rule" value={v.ruleId} onInput={set('ruleId')} placeholder="e.g. HIPAA-SC-12" />
        )}
      </div>
      <div class="field">
        <label for="f-tenant">Tenant</label>
        {user.tenant !== null ? (
          <input id="f-tenant" value={user.tenant} readOnly aria-describedby="f-tenant-help" />
        ) : (
          <input id="f-tenant" value={v.tenant} onInput={set('tenant')} placeholder="any tenant" />
        )}
        {user.tenant !== null && (
          <span id="f-tenant-help" class="help">
            You see your own tenant only.
          </span>
        )}
      </div>
      <div class="field field-buttons">
        <button type="submit" class="btn btn-primary">
          Apply filters
        </button>
        {filtered && (
          <button type="button" class="btn" onClick={() => navigate('/console/incidents')}>
            Clear
          </button>
        )}
      </div>
    </form>
  );
}

export function IncidentDetail({ id }: { id: string }) {
  const inc = useData(() => api<Incident>(`/v1/incidents/${encodeURIComponent(id)}`), [id]);
  return (
    <>
      <p class="crumbs">
        <Link href="/console/incidents">← All incidents</Link>
      </p>
      <PageHeading title={`Incident ${id}`} />
      {inc.error ? (
        inc.error instanceof ApiError && inc.error.status === 404 ? (
          <EmptyState title="No such incident">
            <p>It does not exist, or it belongs to a tenant you cannot see.</p>
          </EmptyState>
        ) : (
          <ErrorNote error={inc.error} />
        )
      ) : !inc.data ? (
        <Loading what="the incident" />
      ) : (
        <IncidentFacts i={inc.data} />
      )}
    </>
  );
}

function IncidentFacts({ i }: { i: Incident }) {
  const hashes = Object.entries(i.argHashes);
  return (
    <div class="detail">
      <section class="card" aria-labelledby="what">
        <h2 id="what">What happened</h2>
        <dl class="facts">
          <dt>Rule</dt>
          <dd class="mono">{i.ruleId}</dd>
          <dt>Reason</dt>
          <dd>{i.reason}</dd>
          <dt>Effect</dt>
          <dd>
            <Badge tone="danger">{i.effect}</Badge> <Badge tone={severityTone(i.severity)}>{i.severity}</Badge>
          </dd>
          <dt>Action</dt>
          <dd class="mono">{i.action}</dd>
          <dt>Time</dt>
          <dd>
            <time dateTime={i.time}>{formatTime(i.time)}</time>
          </dd>
          <dt>Policy</dt>
          <dd class="mono">
            {i.policy.name}@{i.policy.version.slice(0, 12)}
          </dd>
          <dt>Environment</dt>
          <dd>{i.env}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="who">
        <h2 id="who">Who asked</h2>
        <dl class="facts">
          <dt>Tenant</dt>
          <dd>{i.caller.tenant ?? <span class="muted">none</span>}</dd>
          <dt>Principal (as claimed by the caller)</dt>
          <dd class="mono">{i.caller.principal ?? '—'}</dd>
          <dt>API key</dt>
          <dd class="mono">{i.caller.apiKey ?? '—'}</dd>
          {i.caller.service && (
            <>
              <dt>Service</dt>
              <dd class="mono">{i.caller.service}</dd>
            </>
          )}
          {i.caller.host && (
            <>
              <dt>Checked on</dt>
              <dd class="mono">
                {i.caller.host}
                {i.caller.pid ? ` (pid ${i.caller.pid})` : ''}
              </dd>
            </>
          )}
        </dl>
      </section>
      <section class="card card-wide" aria-labelledby="args">
        <h2 id="args">Argument hashes</h2>
        <p class="help">
          Keyed HMAC-SHA256 of each argument (key id <code>{i.hashKeyId}</code>). The values themselves are never stored; whoever holds the key can check a suspected value against its hash.
        </p>
        {hashes.length === 0 ? (
          <p class="muted">The action had no arguments.</p>
        ) : (
          <div class="table-wrap">
            <table class="data">
              <caption class="sr-only">Argument hashes</caption>
              <thead>
                <tr>
                  <th scope="col">Argument</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {hashes.map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row" class="mono">
                      {k}
                    </th>
                    <td class="mono hash">{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card card-wide" aria-labelledby="trace">
        <h2 id="trace">Decision trace</h2>
        <div class="table-wrap">
          <table class="data">
            <caption class="sr-only">Every rule that matched</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Tier</th>
                <th scope="col">Effect</th>
                <th scope="col">Mode</th>
              </tr>
            </thead>
            <tbody>
              {i.trace.map((t, n) => (
                <tr key={`${t.ruleId}-${n}`}>
                  <td class="mono">{t.ruleId}</td>
                  <td>{t.tier}</td>
                  <td>
                    {t.effect}
                    {t.error ? ` (error: ${t.error})` : ''}
                  </td>
                  <td>{t.mode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
