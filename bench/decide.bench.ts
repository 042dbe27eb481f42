/**
 * In-process decision latency: ESQ's decide() on a 50-rule pack vs @cedar-policy/cedar-wasm on
 * the same policy set (pre-parsed once), plus the overhead guard() adds to an allowed call.
 * Before timing, every request is decided by both engines and the decisions must be identical.
 */
import { preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { MemoryIncidentSink } from '../src/audit/memory-incident-sink.js';
import { decide } from '../src/engine/decide.js';
import type { Action } from '../src/engine/types.js';
import { createGovernor } from '../src/esq.js';
import { guard } from '../src/hook/guard.js';
import { compilePack } from '../src/policy/compile.js';
import { tmpdir } from 'node:os';
import { rng, sample, summarize } from './stats.js';

const ACTIONS = 10;

/** The rule semantics, written once per engine. Each rule is `forbid`/`block` when its condition holds. */
function rules(i: number): Array<{ id: string; cel: string; cedar: string }> {
  const a = `act${i}`;
  return [
    { id: `R${i}-public-phi`, cel: `action.dest.startsWith("s3://public") && "phi" in action.data.tags`, cedar: `context.dest like "s3://public*" && context.tags.contains("phi")` },
    { id: `R${i}-plaintext`, cel: `action.data.classification == "phi" && action.dest.startsWith("http://")`, cedar: `context.classification == "phi" && context.dest like "http://*"` },
    { id: `R${i}-role`, cel: `action.data.classification == "phi" && !("clinician" in action.principal.roles)`, cedar: `context.classification == "phi" && !context.roles.contains("clinician")` },
    { id: `R${i}-tenant`, cel: `action.tenant == "blocked-${i}"`, cedar: `context.tenant == "blocked-${i}"` },
    { id: `R${i}-mail`, cel: `action.dest.endsWith("@gmail.com")`, cedar: `context.dest like "*@gmail.com"` },
  ].map((r) => ({ id: r.id, cel: `action.name == "${a}" && ${r.cel}`, cedar: `forbid(principal, action == Action::"${a}", resource) when { ${r.cedar} };` }));
}

export function run(opts: { samples: number }) {
  const all = Array.from({ length: ACTIONS }, (_, i) => rules(i)).flat();
  const yaml = `name: bench\ntier: statute\nrules:\n${all.map((r) => `  - id: ${r.id}\n    when: ${JSON.stringify(r.cel)}\n    effect: block\n`).join('')}`;
  const ps = compilePack({ fallbackName: 'bench', rulebooks: [{ path: 'bench.yaml', text: yaml }] });

  const staticPolicies: Record<string, string> = { base: 'permit(principal, action, resource);' };
  for (const r of all) staticPolicies[r.id] = r.cedar;
  const parsed = preparsePolicySet('bench', { staticPolicies });
  if (parsed.type !== 'success') throw new Error(`cedar parse: ${JSON.stringify(parsed.errors)}`);

  // Requests: a deterministic mix over actions, destinations, tags, roles and tenants.
  const pick = rng(7);
  const requests = Array.from({ length: 2000 }, () => {
    const action: Action = {
      name: pick([...Array.from({ length: ACTIONS }, (_, i) => `act${i}`), 'unlisted']),
      dest: pick(['s3://public_dump/x', 's3://hipaa_zone/r', 'http://files.example/x', 'mailto:a@gmail.com', 'https://partner.example/api']),
      tenant: pick(['t1', 'blocked-3', 'blocked-7', 't2']),
      principal: { id: 'alice', roles: pick([['clinician'], ['clerk'], []]) },
      data: { classification: pick(['phi', 'pii', 'public']), tags: pick([['phi'], [], ['pii', 'phi']]) },
    };
    const cedar = {
      principal: { type: 'User', id: 'alice' },
      action: { type: 'Action', id: action.name },
      resource: { type: 'Resource', id: 'r' },
      context: { dest: action.dest!, tags: action.data!.tags!, classification: action.data!.classification!, roles: action.principal!.roles!, tenant: action.tenant! },
      preparsedPolicySetId: 'bench',
      entities: [],
    };
    return { action, cedar };
  });

  const ctx = { env: 'prod' as const, now: new Date() };
  let denies = 0;
  for (const r of requests) {
    const d = decide(ps, r.action, ctx);
    const c = statefulIsAuthorized(r.cedar);
    if (c.type !== 'success') throw new Error(`cedar failed: ${JSON.stringify(c.errors)}`);
    const esqIds = d.matches.map((m) => m.ruleId).sort();
    const cedarIds = c.response.diagnostics.reason.filter((id) => id !== 'base').sort();
    const same = (d.effect === 'block') === (c.response.decision === 'deny') && (d.effect !== 'block' || esqIds.join() === cedarIds.join());
    if (!same) throw new Error(`engines disagree on ${JSON.stringify(r.action)}: esq ${d.effect} [${esqIds}] vs cedar ${c.response.decision} [${cedarIds}]`);
    if (d.effect === 'block') denies++;
  }

  const n = opts.samples;
  const esq = summarize(sample(n, (i) => decide(ps, requests[i % requests.length]!.action, ctx)));
  const cedar = summarize(sample(n, (i) => statefulIsAuthorized(requests[i % requests.length]!.cedar)));
  // Cedar's floor on this machine: one permit policy and an empty context (the wasm call itself).
  preparsePolicySet('floor', { staticPolicies: { base: 'permit(principal, action, resource);' } });
  const floorCall = { ...requests[0]!.cedar, context: {}, preparsedPolicySetId: 'floor' };
  const cedarFloor = summarize(sample(Math.min(n, 20000), () => statefulIsAuthorized(floorCall)));

  // Hook overhead on an allowed call: guarded no-op minus the bare no-op, with the hipaa pack.
  const governor = createGovernor({ pack: 'hipaa', env: 'prod', home: `${tmpdir()}/esq-bench`, incidents: new MemoryIncidentSink() });
  const noop = (file: string, dest: string) => file.length + dest.length;
  const guarded = guard(function export_phi(file: string, dest: string) {
    return file.length + dest.length;
  }, { governor, principal: { id: 'dr-lee', roles: ['clinician'] } });
  const bare = summarize(sample(n, () => noop('patient_007.pdf', 's3://hipaa_zone/reports')));
  const hooked = summarize(sample(n, () => guarded('patient_007.pdf', 's3://hipaa_zone/reports')));

  const ratio = Math.round((esq.medianMicros / cedar.medianMicros) * 1000) / 1000;
  return {
    name: 'decide',
    rules: ps.rules.length,
    requests: requests.length,
    identicalDecisions: requests.length,
    denies,
    esq,
    cedar,
    cedarFloor,
    ratioMedianEsqOverCedar: ratio,
    hook: { bare, guarded: hooked, overheadMedianMicros: Math.round((hooked.medianMicros - bare.medianMicros) * 1000) / 1000 },
    targets: {
      ratioAtMost: 0.25,
      p99MicrosUnder: 50,
      hookOverheadMedianMicrosUnder: 20,
      met: ratio <= 0.25 && esq.p99Micros < 50 && hooked.medianMicros - bare.medianMicros < 20,
    },
  };
}
