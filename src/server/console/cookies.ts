/**
 * The two cookies the console sets, read and written by hand (no cookie plugin): both HttpOnly and
 * SameSite=Strict, Secure whenever the console is reached over TLS.
 */

export interface CookieOptions {
  path: string;
  /** 0 deletes the cookie. */
  maxAgeSeconds: number;
  secure: boolean;
}

/** The value of one cookie from a Cookie header; the first occurrence wins. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const v = part.slice(eq + 1).trim();
    return v.length > 0 ? v : undefined;
  }
  return undefined;
}

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name) || !/^[A-Za-z0-9_-]*$/.test(value)) throw new TypeError('cookie names and values must be base64url text');
  const parts = [`${name}=${value}`, `Path=${o.path}`, `Max-Age=${Math.max(0, Math.floor(o.maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Strict'];
  if (o.maxAgeSeconds <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}
