/**
 * Package URLs (purl spec) to OSV ecosystems and names, for SBOM components and back again for
 * the SBOM we write.
 */

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

export function parsePurl(s: string): Purl | undefined {
  if (!s.startsWith('pkg:')) return undefined;
  let rest = s.slice(4).replace(/^\/+/, '');
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const qualifiers: Record<string, string> = {};
  const q = rest.indexOf('?');
  if (q !== -1) {
    for (const pair of rest.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) qualifiers[pair.slice(0, eq).toLowerCase()] = decodeURIComponent(pair.slice(eq + 1));
    }
    rest = rest.slice(0, q);
  }
  const slash = rest.lastIndexOf('/');
  const at = rest.lastIndexOf('@');
  let version: string | undefined;
  if (at > slash) {
    version = decodeURIComponent(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const parts = rest.split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  const type = parts[0]!.toLowerCase();
  const name = decodeURIComponent(parts[parts.length - 1]!);
  const ns = parts.slice(1, -1).map(decodeURIComponent).join('/');
  const p: Purl = { type, name, qualifiers };
  if (ns) p.namespace = ns;
  if (version !== undefined) p.version = version;
  return p;
}

const DEBIAN_CODENAMES: Record<string, string> = { jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14', sid: 'sid' };

/** `debian-12`, `bookworm`, `12` → `Debian:12`; `ubuntu-22.04` → `Ubuntu:22.04:LTS`. */
export function debEcosystem(namespace: string | undefined, distro: string | undefined): string {
  const family = (namespace ?? 'debian').toLowerCase();
  if (family === 'ubuntu') {
    const v = distro?.replace(/^ubuntu-/, '');
    if (!v || !/^\d+\.\d+$/.test(v)) return 'Ubuntu';
    const [yy, mm] = v.split('.').map(Number);
    return `Ubuntu:${v}${mm === 4 && yy! % 2 === 0 ? ':LTS' : ''}`;
  }
  if (!distro) return 'Debian';
  const d = distro.toLowerCase().replace(/^debian-/, '');
  const release = DEBIAN_CODENAMES[d] ?? (/^\d+/.exec(d)?.[0] ?? undefined);
  return release ? `Debian:${release}` : 'Debian';
}

const SIMPLE: Record<string, string> = { pypi: 'PyPI', cargo: 'crates.io', gem: 'RubyGems', nuget: 'NuGet', hex: 'Hex', pub: 'Pub', hackage: 'Hackage', cran: 'CRAN' };

/** OSV ecosystem and package name for a purl, or undefined for types OSV does not cover. */
export function osvPackageOf(p: Purl): { ecosystem: string; name: string; source?: { name: string; version?: string } } | undefined {
  const ns = p.namespace;
  switch (p.type) {
    case 'npm':
      return { ecosystem: 'npm', name: ns ? `${ns}/${p.name}` : p.name };
    case 'golang':
      return { ecosystem: 'Go', name: ns ? `${ns}/${p.name}` : p.name };
    case 'maven':
      return { ecosystem: 'Maven', name: ns ? `${ns}:${p.name}` : p.name };
    case 'composer':
      return { ecosystem: 'Packagist', name: ns ? `${ns}/${p.name}` : p.name };
    case 'apk': {
      const rel = /(\d+\.\d+)/.exec(p.qualifiers.distro ?? '')?.[1];
      return { ecosystem: rel ? `Alpine:v${rel}` : 'Alpine', name: p.name };
    }
    case 'deb': {
      const out: { ecosystem: string; name: string; source?: { name: string; version?: string } } = { ecosystem: debEcosystem(ns, p.qualifiers.distro), name: p.name };
      const up = p.qualifiers.upstream;
      if (up) {
        const at = up.indexOf('@');
        out.source = at === -1 ? { name: up } : { name: up.slice(0, at), version: up.slice(at + 1) };
      }
      return out;
    }
    default: {
      const eco = SIMPLE[p.type];
      return eco ? { ecosystem: eco, name: p.name } : undefined;
    }
  }
}

/** A purl for a package we found (npm and Debian; others by their OSV name). */
export function purlOf(ecosystem: string, name: string, version: string): string | undefined {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%3A/gi, ':');
  if (ecosystem === 'npm') {
    const [scope, bare] = name.startsWith('@') ? [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)] : [undefined, name];
    return `pkg:npm/${scope ? `${enc(scope)}/` : ''}${enc(bare)}@${enc(version)}`;
  }
  const deb = /^(Debian|Ubuntu)(?::(.+))?$/.exec(ecosystem);
  if (deb) {
    const distro = deb[2] ? `?distro=${deb[1]!.toLowerCase()}-${deb[2].replace(/:LTS$/, '')}` : '';
    return `pkg:deb/${deb[1]!.toLowerCase()}/${enc(name)}@${enc(version)}${distro}`;
  }
  return undefined;
}
