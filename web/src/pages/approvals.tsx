/**
 * The approval queue: pending requests (action, risk, requester, time left) with approve / deny and
 * a reason, and the history of decided ones. Votes go to the same handlers as /v1/approvals.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, qs } from '../api';
import { Badge, EmptyState, ErrorNote, Loading, PageHeading, RiskBadge, useData } from '../components/ui';
import { formatDuration, formatTime, timeAgo } from '../format';
import { Link } from '../router';
import type { Approval, Page, SessionUser } from '../types';

const canVote = (u: SessionUser) => u.roles.includes('approve') || u.roles.includes('admin');

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

function Tabs({ current }: { current: 'pending' | 'history' }) {
  return (
    <nav class="tabs" aria-label="Approval lists">
      <Link href="/console/approvals" aria-current={current === 'pending' ? 'page' : undefined}>
        Pending
      </Link>
      <Link href="/console/approvals/history" aria-current={current === 'history' ? 'page' : undefined}>
        History
      </Link>
    </nav>
  );
}

export function Approvals({ user, view }: { user: SessionUser; view: 'pending' | 'history' }) {
  return (
    <>
      <PageHeading title={view === 'pending' ? 'Approvals' : 'Approval history'} />
      <Tabs current={view} />
      {view === 'pending' ? <PendingList user={user} /> : <History />}
    </>
  );
}

function PendingList({ user }: { user: SessionUser }) {
  const list = useData(() => api<Page<Approval>>(`/v1/approvals${qs({ status: 'pending', limit: 200 })}`), [], 5000);
  const [open, setOpen] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>();
  const now = useNow(15_000);
  const voter = canVote(user);

  if (list.error && !list.data) return <ErrorNote error={list.error} />;
  if (!list.data) return <Loading what="pending requests" />;
  const items = list.data.items;

  return (
    <>
      <div role="status" aria-live="polite" class="live">
        {notice && <div class={`note note-${notice.tone}`}>{notice.text}</div>}
      </div>
      {!voter && (
        <p class="note note-info">
          You can see the queue but not vote: voting needs the <code>approve</code> role (you have {user.roles.join(', ')}).
        </p>
      )}
      {items.length === 0 ? (
        <EmptyState title="Nothing is waiting for approval">
          <p>
            When a rule defers a high-risk action (<code>effect: defer</code>), the request appears here until someone with the <code>approve</code> role decides it. High-risk
            requests need one approval within 24 hours, critical ones two different approvers within 72 hours; expiry counts as a denial.
          </p>
          <p>
            The requester can never approve their own request. See decided requests under <Link href="/console/approvals/history">History</Link>.
          </p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="data">
            <caption>
              {items.length} request{items.length === 1 ? '' : 's'} waiting, soonest deadline first
            </caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Risk</th>
                <th scope="col">Requester</th>
                <th scope="col">Tenant</th>
                <th scope="col">Requested</th>
                <th scope="col">Time left</th>
                <th scope="col">
                  <span class="sr-only">Decide</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...items]
                .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt))
                .map((a) => {
                  const left = Date.parse(a.expiresAt) - now;
                  const approvals = a.votes.filter((v) => v.decision === 'approve').length;
                  const panelId = `review-${a.id}`;
                  return [
                    <tr key={a.id} class={open === a.id ? 'row-open' : undefined}>
                      <td>
                        <strong class="mono">{a.summary.action}</strong>
                        <div class="sub">{a.summary.reason}</div>
                      </td>
                      <td>
                        <RiskBadge risk={a.riskClass} />
                        <div class="sub">
                          {approvals} of {a.required} approval{a.required === 1 ? '' : 's'}
                        </div>
                      </td>
                      <td>
                        <span class="mono nowrap">{a.requester}</span>
                        {a.summary.principal && <div class="sub">for {a.summary.principal}</div>}
                      </td>
                      <td>{a.tenant ?? <span class="muted">none</span>}</td>
                      <td class="nowrap">
                        <time dateTime={a.createdAt} title={formatTime(a.createdAt)}>
                          {timeAgo(a.createdAt, now)}
                        </time>
                      </td>
                      <td class={left < 3600_000 ? 'nowrap urgent' : 'nowrap'}>
                        <time dateTime={a.expiresAt} title={`Expires ${formatTime(a.expiresAt)}`}>
                          {left > 0 ? formatDuration(left) : 'expired'}
                        </time>
                      </td>
                      <td class="actions">
                        {voter && (
                          <button type="button" class="btn" aria-expanded={open === a.id} aria-controls={panelId} onClick={() => setOpen(open === a.id ? undefined : a.id)}>
                            {open === a.id ? 'Close' : 'Review'}
                            <span class="sr-only"> {a.summary.action} request {a.id}</span>
                          </button>
                        )}
                      </td>
                    </tr>,
                    open === a.id && (
                      <tr key={`${a.id}-review`} class="review-row">
                        <td colSpan={7} id={panelId}>
                          <Review
                            approval={a}
                            user={user}
                            onDone={(text, tone) => {
                              setNotice({ tone, text });
                              if (tone === 'ok') setOpen(undefined);
                              list.reload();
                            }}
                          />
                        </td>
                      </tr>
                    ),
                  ];
                })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Review({ approval: a, user, onDone }: { approval: Approval; user: SessionUser; onDone: (text: string, tone: 'ok' | 'error') => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<'approve' | 'deny' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);
  const own = a.requester === user.id;

  const vote = async (decision: 'approve' | 'deny') => {
    if (!reason.trim()) {
      setError('Give a reason: it is recorded with your vote in the audit log.');
      box.current?.focus();
      return;
    }
    setBusy(decision);
    setError(undefined);
    try {
      const r = await api<Approval>(`/v1/approvals/${encodeURIComponent(a.id)}/${decision}`, { method: 'POST', body: { reason: reason.trim() } });
      const outcome = r.status === 'pending' ? `your approval is recorded; ${r.required - r.votes.filter((v) => v.decision === 'approve').length} more needed` : r.status;
      onDone(`${decision === 'approve' ? 'Approved' : 'Denied'} ${a.summary.action} (${a.id}): ${outcome}.`, 'ok');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(undefined);
    }
  };

  return (
    <div class="review">
      <h2 class="h3">Review {a.summary.action}</h2>
      <dl class="facts">
        <dt>Request</dt>
        <dd class="mono">{a.id}</dd>
        <dt>Why it needs approval</dt>
        <dd>{a.summary.reason}</dd>
        {a.summary.dest && (
          <>
            <dt>Destination (hashed)</dt>
            <dd class="mono">{a.summary.dest}</dd>
          </>
        )}
        <dt>Votes so far</dt>
        <dd>
          {a.votes.length === 0
            ? 'none'
            : a.votes.map((v) => (
                <div key={v.approver}>
                  <span class="mono">{v.approver}</span> {v.decision === 'approve' ? 'approved' : 'denied'}: “{v.reason}”
                </div>
              ))}
        </dd>
      </dl>
      {own ? (
        <p class="note note-info">You asked for this action, so you cannot vote on it; another approver must decide.</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void vote('approve');
          }}
        >
          <label for={`reason-${a.id}`}>Reason (recorded in the audit log)</label>
          <textarea id={`reason-${a.id}`} ref={box} rows={2} maxLength={2000} value={reason} onInput={(e) => (setReason((e.target as HTMLTextAreaElement).value), setError(undefined))} aria-describedby={error ? `err-${a.id}` : undefined} />
          {error && (
            <p id={`err-${a.id}`} class="field-error" role="alert">
              {error}
            </p>
          )}
          <div class="button-row">
            <button type="submit" class="btn btn-approve" disabled={busy !== undefined}>
              {busy === 'approve' ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" class="btn btn-deny" disabled={busy !== undefined} onClick={() => void vote('deny')}>
              {busy === 'deny' ? 'Denying…' : 'Deny'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function History() {
  const list = useData(() => api<Page<Approval>>(`/v1/approvals${qs({ limit: 200 })}`), [], 15_000);
  if (list.error && !list.data) return <ErrorNote error={list.error} />;
  if (!list.data) return <Loading what="decided requests" />;
  const items = list.data.items.filter((a) => a.status !== 'pending');
  if (items.length === 0) {
    return (
      <EmptyState title="No decided requests yet">
        <p>Approved, denied and expired requests are listed here with every vote and its reason. Pending ones are on the <Link href="/console/approvals">Pending</Link> tab.</p>
      </EmptyState>
    );
  }
  const tone = (s: string) => (s === 'approved' ? 'ok' : s === 'denied' ? 'danger' : 'neutral');
  return (
    <div class="table-wrap">
      <table class="data">
        <caption>The {items.length} most recent decided requests</caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Risk</th>
            <th scope="col">Outcome</th>
            <th scope="col">Decided</th>
            <th scope="col">Votes</th>
            <th scope="col">Tenant</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td>
                <strong class="mono">{a.summary.action}</strong>
                <div class="sub mono">{a.id}</div>
              </td>
              <td>
                <RiskBadge risk={a.riskClass} />
              </td>
              <td>
                <Badge tone={tone(a.status)}>{a.status}</Badge>
                {a.consumedAt && <div class="sub">used {timeAgo(a.consumedAt)}</div>}
              </td>
              <td>{a.decidedAt ? <time dateTime={a.decidedAt}>{formatTime(a.decidedAt)}</time> : <time dateTime={a.expiresAt}>{formatTime(a.expiresAt)}</time>}</td>
              <td>
                {a.votes.length === 0 ? (
                  <span class="muted">no votes</span>
                ) : (
                  <ul class="plain">
                    {a.votes.map((v) => (
                      <li key={v.approver}>
                        <span class="mono">{v.approver}</span> {v.decision === 'approve' ? 'approved' : 'denied'}: “{v.reason}”
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>{a.tenant ?? <span class="muted">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
