/**
 * Calls to the console API (/console/api). The session cookie is HttpOnly and goes along by
 * itself; state-changing calls also carry the CSRF token the server issued with the session.
 */

export const BASE = '/console';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onSignedOut: () => void = () => undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** What to do when the server says the session has ended (401). */
export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

export async function api<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; csrf?: string; quiet401?: boolean } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const token = init.csrf ?? csrfToken;
  if (method !== 'GET' && token) headers['x-csrf-token'] = token;
  const res = await fetch(`${BASE}/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (res.status === 401 && !init.quiet401) onSignedOut();
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `the server answered ${res.status}`);
  }
  return json as T;
}

/** Query string from the defined values of an object. */
export function qs(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
