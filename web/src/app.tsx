/** The console shell: who is signed in, the navigation, and which page a path shows. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, whenSignedOut } from './api';
import { EmptyState, Loading, PageHeading } from './components/ui';
import { Approvals } from './pages/approvals';
import { Budgets } from './pages/budgets';
import { IncidentDetail, Incidents } from './pages/incidents';
import { Overview } from './pages/overview';
import { SignIn } from './pages/signin';
import { Link, navigate, useLocation } from './router';
import type { Role, Session, SessionUser } from './types';

const has = (u: SessionUser, ...roles: Role[]) => u.roles.includes('admin') || roles.some((r) => u.roles.includes(r));

interface NavItem {
  href: string;
  label: string;
  match: (p: string) => boolean;
  allowed: (u: SessionUser) => boolean;
}

const NAV: NavItem[] = [
  { href: '/console/', label: 'Overview', match: (p) => p === '/', allowed: (u) => has(u, 'read') },
  { href: '/console/approvals', label: 'Approvals', match: (p) => p.startsWith('/approvals'), allowed: (u) => has(u, 'approve', 'read') },
  { href: '/console/incidents', label: 'Incidents', match: (p) => p.startsWith('/incidents'), allowed: (u) => has(u, 'read') },
  { href: '/console/budgets', label: 'Budgets', match: (p) => p.startsWith('/budgets'), allowed: (u) => has(u, 'read') },
];

export function App() {
  const { path } = useLocation();
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  const signedOut = () => {
    setCsrfToken(undefined);
    setSession(null);
    if (location.pathname !== '/console/signin') navigate(`/console/signin?next=${encodeURIComponent(location.pathname + location.search)}`, true);
  };

  useEffect(() => {
    whenSignedOut(signedOut);
    api<Session>('/session', { quiet401: true }).then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      (e) => (e instanceof ApiError && e.status === 401 ? signedOut() : setSession(null)),
    );
  }, []);

  if (path === '/signin') {
    return (
      <SignIn
        onSignedIn={(s, next) => {
          setCsrfToken(s.csrfToken);
          setSession(s);
          navigate(next, true);
        }}
      />
    );
  }
  if (session === undefined) return <main id="main"><Loading what="your session" /></main>;
  if (session === null) return <main id="main"><Loading what="the sign-in page" /></main>;
  const user = session.user;

  const signOut = async () => {
    try {
      await api('/signout', { method: 'POST' });
    } finally {
      setCsrfToken(undefined);
      setSession(null);
      navigate('/console/signin', true);
    }
  };

  const nav = NAV.filter((n) => n.allowed(user));
  // An approver without the read role lands on the queue rather than on a page they cannot read.
  if (path === '/' && !has(user, 'read') && has(user, 'approve')) {
    queueMicrotask(() => navigate('/console/approvals', true));
  }

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/console/" class="brand">
          <span class="brand-mark" aria-hidden="true">
            E
          </span>
          ESQ console
        </Link>
        <nav aria-label="Console">
          <ul>
            {nav.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={n.match(path) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            Signed in as <strong>{user.name}</strong>
            <span class="who-roles">
              {' '}
              ({user.roles.join(', ')}
              {user.tenant ? ` · tenant ${user.tenant}` : ''})
            </span>
          </span>
          <button type="button" class="btn btn-small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Route path={path} user={user} />
      </main>
    </>
  );
}

function Route({ path, user }: { path: string; user: SessionUser }) {
  if (path === '/') return <Overview />;
  if (path === '/approvals') return <Approvals user={user} view="pending" />;
  if (path === '/approvals/history') return <Approvals user={user} view="history" />;
  if (path === '/incidents') return <Incidents user={user} />;
  const m = /^\/incidents\/([^/]+)$/.exec(path);
  if (m) return <IncidentDetail id={decodeURIComponent(m[1]!)} />;
  if (path === '/budgets') return <Budgets />;
  return (
    <>
      <PageHeading title="Page not found" />
      <EmptyState title="There is no console page here">
        <p>
          Go to the <Link href="/console/">overview</Link>, the <Link href="/console/approvals">approval queue</Link> or the <Link href="/console/incidents">incidents</Link>.
        </p>
      </EmptyState>
    </>
  );
}
