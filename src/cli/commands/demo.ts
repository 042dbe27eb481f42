import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { FileIncidentSink } from '../../audit/file-incident-sink.js';
import { settingsFromEnv } from '../../config.js';
import { createGovernor } from '../../esq.js';
import { PolicyViolation } from '../../errors.js';
import { guard } from '../../hook/guard.js';
import { printJson } from '../io.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description("Walk through the seed's example: one allowed PHI export, one blocked with an incident")
    .option('-p, --pack <name|dir>', 'policy pack', 'hipaa')
    .option('--json', 'print what happened as JSON')
    .action((o: { pack: string; json?: boolean }) => {
      const s = settingsFromEnv();
      const sink = new FileIncidentSink(join(s.home, 'incidents'));
      const governor = createGovernor({ pack: o.pack, incidents: sink, home: s.home });
      const say = (line: string) => {
        if (!o.json) process.stdout.write(`${line}\n`);
      };

      // The seed's 14 lines, in TypeScript: one line puts the function behind policy.
      const exportPhi = guard(
        function export_phi(file: string, dest: string) {
          say(`${pc.green('✔')}  Allowed: ${file} → ${dest.replace(/^s3:\/\//, '')}`);
          return { file, dest };
        },
        { governor },
      );

      const p = governor.policy.current;
      say(pc.dim(`ESQ demo · pack ${p.name}@${p.version} (${p.rules.length} rules) · env ${governor.env} · state in ${relative(process.cwd(), s.home) || s.home}\n`));
      const allowed = exportPhi('patient_007.pdf', 's3://hipaa_zone/reports');
      let blocked: PolicyViolation | undefined;
      try {
        exportPhi('patient_007.pdf', 's3://public_dump');
      } catch (e) {
        if (!(e instanceof PolicyViolation)) throw e;
        blocked = e;
      }
      if (!blocked?.incidentId) throw new Error('demo: the export to s3://public_dump was not blocked — is the pack missing HIPAA-SC-12?');
      const file = sink.pathOf(blocked.incidentId);
      const text = readFileSync(file, 'utf8');
      const leaks = ['patient_007.pdf', 's3://public_dump'].filter((raw) => text.includes(raw));

      if (o.json) {
        printJson({ allowed, blocked: { ruleId: blocked.ruleId, reason: blocked.reason, incidentId: blocked.incidentId, file }, incidentHasRawValues: leaks.length > 0 });
        return;
      }
      say(`${pc.red('✖')}  BLOCKED by ESQ: ${blocked.reason}`);
      say(`    Incident ID: ${pc.bold(blocked.incidentId)}  Logged to ${relative(process.cwd(), file)}`);
      say(`\n${pc.dim('Incident report (argument hashes, never raw values):')}`);
      say(text.trimEnd().replace(/^/gm, '    '));
      say(leaks.length === 0 ? `\n${pc.green('✔')}  The incident holds no raw argument value.` : `\n${pc.red('✖')}  Raw values leaked into the incident: ${leaks.join(', ')}`);
      if (leaks.length > 0) process.exitCode = 1;
    });
}
