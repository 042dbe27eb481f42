/** Sign in with a console user (esq users add) or an API key (esq keys create). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { safeNext, useLocation } from '../router';
import type { Session } from '../types';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session, next: string) => void }) {
  const { search } = useLocation();
  const [mode, setMode] = useState<'password' | 'apiKey'>('password');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · ESQ console';
    first.current?.focus();
  }, [mode]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const body = mode === 'password' ? { username: String(form.get('username') ?? '').trim(), password: String(form.get('password') ?? '') } : { apiKey: String(form.get('apiKey') ?? '').trim() };
    setBusy(true);
    setError(undefined);
    try {
      // A fresh double-submit token for this attempt (the server checks header against cookie).
      const { csrfToken } = await api<{ csrfToken: string }>('/csrf', { quiet401: true });
      const s = await api<Session>('/signin', { method: 'POST', body, csrf: csrfToken, quiet401: true });
      onSignedIn(s, safeNext(search.get('next')));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? err.message.replace(/^./, (c) => c.toUpperCase()) + '.' : (err as Error).message);
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <div class="signin-card">
        <p class="brand brand-large" aria-hidden="true">
          <span class="brand-mark">E</span> ESQ
        </p>
        <h1>Sign in to the ESQ console</h1>
        <p class="muted">Review approval requests, incidents, budgets and the health of the decision service.</p>
        {error && (
          <div class="note note-error" role="alert">
            {error}
          </div>
        )}
        <form onSubmit={submit} noValidate={false}>
          {mode === 'password' ? (
            <>
              <label for="username">User name</label>
              <input id="username" name="username" autoComplete="username" required ref={first} spellcheck={false} autoCapitalize="off" />
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autoComplete="current-password" required />
            </>
          ) : (
            <>
              <label for="apiKey">API key</label>
              <input id="apiKey" name="apiKey" type="password" autoComplete="off" required ref={first} aria-describedby="apiKey-help" spellcheck={false} />
              <p id="apiKey-help" class="help">
                A key from <code>esq keys create</code>. You act with the key's roles and tenant.
              </p>
            </>
          )}
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <button type="button" class="btn-link" onClick={() => (setMode(mode === 'password' ? 'apiKey' : 'password'), setError(undefined))}>
          {mode === 'password' ? 'Sign in with an API key instead' : 'Sign in with a user name and password instead'}
        </button>
        <p class="help signin-foot">
          No account yet? An administrator creates one with <code>esq users add &lt;name&gt; --roles approve,read</code>.
        </p>
      </div>
    </main>
  );
}
