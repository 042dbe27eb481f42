/**
 * Checks a plain-HTTP redirect's Location before the client sees it. A Location is read two ways,
 * as a WHATWG client (browsers, fetch, undici) would and literally (backslashes kept, as simpler
 * clients do); if either reading leaves the allow-list, or cannot be parsed strictly, it is refused.
 * No DNS here: a client that follows the redirect comes back through the proxy and is checked in full.
 */
import type { AllowList } from './allow-list.js';
import { parseAuthority, parseHost, type HostRef } from './host.js';
import { matchTarget, type Refusal } from './policy.js';

export interface RedirectBase {
  host: HostRef;
  port: number;
}

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

function refuse(detail: string): Refusal {
  return { ok: false, reason: 'redirect-not-listed', detail };
}

function checkListed(list: AllowList, host: HostRef, port: number): Refusal | undefined {
  const m = matchTarget(list, host, port);
  return m.ok ? undefined : refuse(`redirect to ${host.kind === 'name' ? host.name : host.address}:${port} (${m.reason})`);
}

/** The literal reading: scheme and authority taken from the raw text. */
function literal(list: AllowList, loc: string): Refusal | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(loc);
  let rest: string;
  let port: number;
  if (scheme) {
    const s = `${scheme[1]!.toLowerCase()}:`;
    if (!(s in DEFAULT_PORT)) return refuse(`redirect to a ${s} URL`);
    port = DEFAULT_PORT[s]!;
    rest = loc.slice(scheme[0].length).replace(/^[/\\]*/, '');
  } else if (/^[/\\]{2}/.test(loc)) {
    port = 80;
    rest = loc.replace(/^[/\\]*/, '');
  } else {
    return undefined; // a path on the same host
  }
  const authority = /^[^/?#\\]*/.exec(rest)![0];
  const a = parseAuthority(authority, port);
  if (!a.ok) return refuse(`redirect Location: ${a.detail}`);
  return checkListed(list, a.host, a.port);
}

/** The WHATWG reading, resolved against the request URL. */
function whatwg(list: AllowList, loc: string, base: RedirectBase): Refusal | undefined {
  const baseText = `http://${base.host.kind === 'name' ? base.host.name : base.host.family === 6 ? `[${base.host.address}]` : base.host.address}:${base.port}/`;
  let u: URL;
  try {
    u = new URL(loc, baseText);
  } catch {
    return refuse('redirect Location is not a URL');
  }
  if (!(u.protocol in DEFAULT_PORT)) return refuse(`redirect to a ${u.protocol} URL`);
  if (u.username || u.password) return refuse('redirect Location carries userinfo');
  const h = parseHost(u.hostname);
  if (!h.ok) return refuse(`redirect Location: ${h.detail}`);
  return checkListed(list, h.host, u.port ? Number(u.port) : DEFAULT_PORT[u.protocol]!);
}

export function checkRedirect(list: AllowList, location: string, base: RedirectBase): Refusal | undefined {
  // Leading/trailing C0 controls and spaces are ignored by WHATWG parsers, so ignore them too.
  const loc = location.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  return literal(list, loc) ?? whatwg(list, loc, base);
}
