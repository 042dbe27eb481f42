/** A tiny history router for the console's few pages (all under /console/). */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { BASE } from './api';

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [, bump] = useState(0);
  useEffect(() => {
    const l = () => bump((n) => n + 1);
    listeners.add(l);
    window.addEventListener('popstate', l);
    return () => {
      listeners.delete(l);
      window.removeEventListener('popstate', l);
    };
  }, []);
  const rel = location.pathname.startsWith(`${BASE}/`) ? location.pathname.slice(BASE.length) : '/';
  return { path: rel.replace(/\/+$/, '') || '/', search: new URLSearchParams(location.search) };
}

/** A same-origin path under /console, for `?next=` (anything else would be an open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith(`${BASE}/`) && !next.startsWith('//') && !next.includes('\\') && next !== `${BASE}/signin` ? next : `${BASE}/`;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & { href: string; children: ComponentChildren };

/** An ordinary link (works with the keyboard, middle-click and "open in new tab") that navigates in place. */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
