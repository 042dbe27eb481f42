/** Small shared pieces: page heading, empty states, errors, badges, the data hook. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';

/** The page's h1; it takes focus when the page opens so screen readers announce the new page. */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ESQ console`;
    ref.current?.focus();
  }, [title]);
  return (
    <header class="page-head">
      <h1 tabIndex={-1} ref={ref}>
        {title}
      </h1>
      {children && <div class="page-head-aside">{children}</div>}
    </header>
  );
}

export function EmptyState({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="empty" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  const e = error as Error;
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div class="note note-error" role="alert">
      <strong>{forbidden ? 'Not allowed. ' : 'Could not load this. '}</strong>
      {e?.message ?? String(error)}
    </div>
  );
}

export function Badge({ tone, children }: { tone: 'neutral' | 'info' | 'warn' | 'danger' | 'ok'; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function RiskBadge({ risk }: { risk: string }) {
  const tone = risk === 'critical' ? 'danger' : risk === 'high' ? 'warn' : risk === 'medium' ? 'info' : 'neutral';
  return <Badge tone={tone}>{risk}</Badge>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export interface Data<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads `fetcher` now, when `deps` change, on reload(), and every `pollMs` while the page is visible. */
export function useData<T>(fetcher: () => Promise<T>, deps: unknown[], pollMs?: number): Data<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fetcher().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  useEffect(() => {
    if (!pollMs) return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, pollMs);
    return () => clearInterval(id);
  }, [pollMs, reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
