/** The default output: one row per finding, a fix line per package, and a verdict. */
import pc from 'picocolors';
import { formatDuration } from '../../envelope/config/duration.js';
import { isClean, severityLabel, type Finding, type ScanResult, type Severity } from '../types.js';

const COLORS: Record<Severity, (s: string) => string> = {
  critical: (s) => pc.bold(pc.red(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  none: pc.dim,
  unknown: pc.magenta,
};

export function severityText(f: Finding): string {
  const label = severityLabel(f.severity.level);
  return f.severity.score !== undefined ? `${label} ${f.severity.score.toFixed(1)}` : label;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(s.length - n + 1)}`;
}

export function subjectOf(r: Pick<ScanResult, 'target' | 'imageDigest'>): string {
  return r.imageDigest ? `Image ${r.imageDigest.slice(0, 19)}…` : r.target;
}

export function renderTable(r: ScanResult, o: { color?: boolean } = {}): string {
  const paint = o.color === false ? pc.createColors(false) : pc;
  const sev = (f: Finding): string => (o.color === false ? severityText(f) : COLORS[f.severity.level](severityText(f)));
  const lines: string[] = [];
  const age = r.database.ageMs !== undefined ? `, imported ${formatDuration(r.database.ageMs)} ago` : '';
  lines.push(paint.dim(`${subjectOf(r)} · ${r.packages} packages (${r.kind}) · ${r.database.records} advisories${age}${r.database.online === 'used' ? ' + OSV API' : ''}`));
  if (r.findings.length > 0) {
    const rows = r.findings.map((f) => [
      f.package.name + (f.package.dev ? ' (dev)' : ''),
      f.package.version,
      f.fixedIn ?? (f.lastAffected ? `> ${f.lastAffected}` : '—'),
      f.id,
      severityText(f),
      clip(f.package.path.join(' > '), 60),
    ]);
    const head = ['PACKAGE', 'INSTALLED', 'FIXED IN', 'ADVISORY', 'SEVERITY', 'PATH'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    lines.push('', paint.bold(head.map((h, i) => pad(h, widths[i]!)).join('  ').trimEnd()));
    r.findings.forEach((f, k) => {
      const row = rows[k]!;
      const cells = row.map((c, i) => (i === 4 ? sev(f) + ' '.repeat(Math.max(0, widths[i]! - c.length)) : pad(c, widths[i]!)));
      lines.push(cells.join('  ').trimEnd());
    });
    lines.push('', paint.bold('Fix suggestions:'));
    for (const s of r.fixes) {
      // Distribution fixes are source-package versions: say so rather than suggest a "downgrade".
      const from = s.sourcePackage ? `${s.name} (source ${s.sourcePackage.name} ${s.sourcePackage.version})` : `${s.name} ${s.installed}`;
      if (s.upgradeTo) {
        const open = s.unfixed.length ? paint.yellow(`; no fix yet for ${s.unfixed.join(', ')}`) : '';
        lines.push(`  upgrade ${from} → ${s.upgradeTo} (fixes ${s.fixes.join(', ')})${open}`);
      } else lines.push(paint.yellow(`  ${from}: no fixed version for ${s.unfixed.join(', ')}`));
    }
  }
  lines.push('');
  if (isClean(r)) lines.push(paint.green(`CLEAN — no known vulnerabilities in ${r.packages} packages`));
  else {
    if (r.findings.length > 0) {
      const counts = new Map<string, number>();
      for (const f of r.findings) counts.set(f.severity.level, (counts.get(f.severity.level) ?? 0) + 1);
      const by = ['critical', 'high', 'medium', 'low', 'unknown', 'none'].filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ');
      const pkgs = new Set(r.findings.map((f) => `${f.package.ecosystem}\0${f.package.name}\0${f.package.version}`)).size;
      lines.push(paint.red(`${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${by}) in ${pkgs} of ${r.packages} packages`));
    }
    if (r.unevaluated.length > 0) {
      lines.push(paint.yellow(`${r.unevaluated.length} package(s) could not be evaluated, so this is not a CLEAN result:`));
      for (const u of r.unevaluated.slice(0, 10)) lines.push(paint.yellow(`  ${u.package.name} ${u.package.version} (${u.package.ecosystem}): ${u.reason}`));
      if (r.unevaluated.length > 10) lines.push(paint.yellow(`  … and ${r.unevaluated.length - 10} more`));
    }
  }
  for (const w of r.warnings) lines.push(paint.yellow(`warning: ${w}`));
  return `${lines.join('\n')}\n`;
}
