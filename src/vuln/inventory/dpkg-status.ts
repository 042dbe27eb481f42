/**
 * Debian's package database: `var/lib/dpkg/status` (and distroless `status.d/*` files), with the
 * release read from `etc/os-release`. OSV's Debian advisories name source packages, so each
 * binary package carries its source name and version (`Source: bash (5.2.15-2)`).
 */
import type { Package } from '../types.js';
import { inputError } from './errors.js';

export interface Paragraph {
  line: number;
  fields: Map<string, string>;
}

/** RFC 822-style paragraphs; field names are case-insensitive (kept as written in `fields`' keys, lowercased). */
export function parseControl(text: string, file: string): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | undefined;
  let last: string | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') {
      cur = undefined;
      last = undefined;
      return;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!cur || last === undefined) throw inputError(file, 'continuation line outside a field', { line: n, column: 1 });
      cur.fields.set(last, `${cur.fields.get(last)!}\n${line.trim()}`);
      return;
    }
    if (line.startsWith('#')) return;
    const m = /^([!-9;-~][!-9;-~]*):(.*)$/.exec(line);
    if (!m) throw inputError(file, `expected "Field: value", found ${JSON.stringify(line.slice(0, 40))}`, { line: n, column: 1 });
    if (!cur) {
      cur = { line: n, fields: new Map() };
      out.push(cur);
    }
    last = m[1]!.toLowerCase();
    cur.fields.set(last, m[2]!.trim());
  });
  return out;
}

/** States in which a package's files are on disk (dpkg(1) "Package states"). */
const PRESENT = new Set(['installed', 'half-installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);

export function parseDpkgStatus(text: string, file: string, ecosystem: string): Package[] {
  const out: Package[] = [];
  for (const p of parseControl(text, file)) {
    const name = p.fields.get('package');
    const version = p.fields.get('version');
    const status = p.fields.get('status');
    if (!name) throw inputError(file, 'paragraph has no "Package" field', { line: p.line });
    // status.d files (distroless) have no Status field: every entry there is installed.
    if (status !== undefined && !PRESENT.has(status.split(/\s+/)[2] ?? '')) continue;
    if (!version) throw inputError(file, `package "${name}" has no "Version" field`, { line: p.line });
    const src = /^(\S+)(?:\s+\((\S+)\))?$/.exec(p.fields.get('source') ?? '');
    out.push({
      ecosystem,
      name,
      version,
      path: [name],
      relation: 'unknown',
      source: file,
      sourcePackage: { name: src?.[1] ?? name, version: src?.[2] ?? version },
    });
  }
  return out;
}

/** `etc/os-release` → OSV ecosystem (`Debian:12`, `Ubuntu:22.04:LTS`); plain `Debian` when unknown. */
export function ecosystemOfOsRelease(text: string | undefined): string {
  if (text === undefined) return 'Debian';
  const kv = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv.set(m[1]!, m[2]!.replace(/^["']|["']$/g, ''));
  }
  const id = kv.get('ID');
  const ver = kv.get('VERSION_ID');
  if (id === 'ubuntu' && ver) return `Ubuntu:${ver}${/LTS/.test(kv.get('VERSION') ?? '') ? ':LTS' : ''}`;
  if (id === 'debian' && ver) return `Debian:${ver.split('.')[0]}`;
  if (id === 'debian') {
    const code = kv.get('VERSION_CODENAME');
    return code === 'sid' || /sid/.test(kv.get('PRETTY_NAME') ?? '') ? 'Debian:sid' : 'Debian';
  }
  return 'Debian';
}
