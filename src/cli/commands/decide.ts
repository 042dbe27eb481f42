import type { Command } from 'commander';
import pc from 'picocolors';
import { parseDeploymentEnv, settingsFromEnv } from '../../config.js';
import type { Decision, Finding } from '../../engine/types.js';
import { InvalidInputError } from '../../errors.js';
import { loadPackSync } from '../../policy/pack-files.js';
import { randomBytes } from 'node:crypto';
import { hmacArgHasher } from '../../audit/arg-hasher.js';
import { MemoryIncidentSink } from '../../audit/memory-incident-sink.js';
import { newIncidentId } from '../../audit/incident-id.js';
import { Governor } from '../../engine/governor.js';
import { packGuardrails } from '../../guardrails/pipeline.js';
import { loadScrubKeys } from '../../guardrails/scrub/index.js';
import { validateAction } from '../../util/validate-action.js';
import { exitCodeForEffect } from '../exit-codes.js';
import { parseJson, printJson, readInput } from '../io.js';

export function printDecision(d: Decision): void {
  const mark = d.effect === 'block' ? pc.red('✖ block') : d.effect === 'defer' ? pc.yellow('⏸ defer') : d.effect === 'allow' ? pc.green('✔ allow') : pc.yellow(`! ${d.effect}`);
  process.stdout.write(`${mark}  ${d.reason}\n`);
  for (const m of d.matches) process.stdout.write(`   ${m.effect.padEnd(5)} ${m.ruleId} [${m.tier}/${m.rulebook}] ${m.message}${m.error ? pc.red(` (error: ${m.error})`) : ''}\n`);
  for (const m of d.dryRun) process.stdout.write(pc.dim(`   dry-run ${m.effect} ${m.ruleId} ${m.message}\n`));
  for (const m of d.failedOpen ?? []) process.stdout.write(pc.dim(`   skipped ${m.ruleId} (fail-open): ${m.error}\n`));
  if (d.findings?.length) process.stdout.write(pc.dim(`   findings: ${d.findings.map((f) => `${f.entity}(${f.score.toFixed(2)})`).join(', ')}\n`));
  if (d.scrubbed !== undefined) process.stdout.write(`   scrubbed: ${typeof d.scrubbed === 'string' ? d.scrubbed : JSON.stringify(d.scrubbed)}\n`);
  process.stdout.write(pc.dim(`   policy ${d.policy.name}@${d.policy.version} · env ${d.env} · ${d.timings.rulesEvaluated} rules evaluated in ${d.timings.evalMicros} µs\n`));
}

export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('Decide one action (JSON) against a policy pack and print the decision')
    .argument('[file]', 'action JSON file, or - for stdin', '-')
    .option('-p, --pack <name|dir>', 'built-in pack name or pack folder (default: ESQ_PACK or hipaa)')
    .option('-r, --rules <dir>', 'a folder of rulebooks (same as --pack with a path)')
    .option('-e, --env <env>', 'deployment environment: sandbox|dev|stage|prod (default: ESQ_ENV or dev)')
    .option('--findings <file>', 'JSON array of guardrail findings to decide with (default: scan the action content)')
    .option('--bypass', 'request a bypass (honoured only in sandbox)')
    .option('--json', 'print the decision as JSON')
    .addHelpText(
      'after',
      `
Exit codes: 0 allowed (warn and scrub included), 3 blocked, 4 deferred, 2 bad input, 1 internal error.
This is a what-if query: it files no incident.

Example:
  echo '{"name":"export_phi","dest":"s3://public_dump"}' | esq decide --pack hipaa`,
    )
    .action(async (file: string, o: { pack?: string; rules?: string; env?: string; findings?: string; bypass?: boolean; json?: boolean }) => {
      const s = settingsFromEnv();
      const ps = loadPackSync(o.rules ?? o.pack ?? s.pack);
      const action = validateAction(parseJson(await readInput(file), 'action'));
      let findings: Finding[] | undefined;
      if (o.findings) {
        const f = parseJson(await readInput(o.findings), 'findings');
        if (!Array.isArray(f)) throw new InvalidInputError('--findings must hold a JSON array of {entity, start, end, score, detector}');
        findings = f as Finding[];
      }
      // The same pipeline as the hook and the service (guardrails scan the content; scrub applies),
      // but a what-if query: incidents stay in memory and nothing is written.
      const guardrails = packGuardrails(() => loadScrubKeys({ home: s.home }));
      const governor = new Governor({
        policy: { current: ps },
        env: o.env ? parseDeploymentEnv(o.env, '--env') : s.env,
        incidents: new MemoryIncidentSink(),
        hasher: hmacArgHasher(randomBytes(32)),
        newIncidentId,
        scanner: guardrails,
        scrubber: guardrails,
        bypass: o.bypass ?? s.bypass,
      });
      const d = governor.decide(action, findings ? { findings } : {});
      delete d.incidentId; // nothing was filed
      if (o.json) printJson(d);
      else printDecision(d);
      process.exitCode = exitCodeForEffect(d.effect);
    });
}
