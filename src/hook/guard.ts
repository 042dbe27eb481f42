/**
 * The governance hook: one line puts a function behind policy.
 *
 *   const exportPhi = guard(function exportPhi(file, dest) { … });
 *
 * Before every call the governor decides; on `block` the function never runs, an incident is
 * filed and `PolicyViolation` is thrown (or `null` returned with `onBlock: 'null'`). On `scrub` the
 * function runs with the scrubbed content in place of its content argument. With a local
 * engine the check is synchronous, so a guarded sync function stays sync and keeps its type.
 */
import { ApprovalRequired, PolicyViolation } from '../errors.js';
import { defaultGovernor } from '../esq.js';
import type { Governor } from '../engine/governor.js';
import type { Action, DataDescriptor, Decision, Finding, Principal } from '../engine/types.js';
import { logger } from '../util/log.js';
import { paramNames } from './param-names.js';
import { defaultRemote, type FailMode, type RemoteGovernor } from './remote.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn = (...args: any[]) => any;
type FromArgs<F extends AnyFn, T> = (...args: Parameters<F>) => T;

export interface GuardOptions<F extends AnyFn = AnyFn> {
  /** Action name. Default: the function's name. */
  action?: string;
  /** Names of the positional parameters, for `action.args`. Default: read from the function. */
  params?: string[];
  /** Destination: a parameter name, or a function of the call's arguments. Default: a `dest` parameter. */
  dest?: string | FromArgs<F, string | undefined>;
  /** Content for guardrails: a parameter name or a function. */
  content?: string | FromArgs<F, unknown>;
  /** Tenant: a parameter name or a function. */
  tenant?: string | FromArgs<F, string | undefined>;
  /** Who is calling: a fixed principal or a function of the arguments. */
  principal?: Principal | FromArgs<F, Principal | undefined>;
  /** Classification and tags of the data handled: fixed or a function. */
  data?: DataDescriptor | FromArgs<F, DataDescriptor | undefined>;
  /** Guardrail findings for this call (until guardrails run in the pipeline). */
  findings?: FromArgs<F, readonly Finding[]>;
  /** On block: throw PolicyViolation (default) or log and return null, as the seed's decorator does. */
  onBlock?: 'throw' | 'null';
  /** Ask for a bypass (honoured only when the deployment is sandbox; elsewhere it is a violation). Local checks only. */
  bypass?: boolean;
  /** The governor to ask. Default: the process-wide one (ESQ_PACK, ESQ_ENV, ESQ_HOME). */
  governor?: Governor;
  /**
   * Ask the decision service instead (the call then returns a Promise). Default for async
   * functions when ESQ_URL is set and no `governor` is given.
   */
  remote?: RemoteGovernor;
  /** While the service cannot answer: `closed` refuses (default, or ESQ_FAIL_MODE), `open` proceeds with a warning. */
  failMode?: FailMode;
  /**
   * With `remote`: on a deferral, wait up to `waitMs` for the human decision; once approved the call
   * is resubmitted with the approval and proceeds (once). Without it, ApprovalRequired is thrown.
   */
  approval?: { waitMs: number };
  /** Observe each decision (e.g. for the demo's console output). */
  onDecision?: (decision: Decision, action: Action) => void;
}

type Nullable<F extends AnyFn, O> = O extends { onBlock: 'null' } ? Awaited<ReturnType<F>> | null : Awaited<ReturnType<F>>;
/**
 * What a guarded function returns: its own result (null on block with `onBlock: 'null'`). A local
 * check keeps a sync function sync; asking the service (`remote`) makes every call a Promise.
 */
export type Guarded<F extends AnyFn, O extends GuardOptions<F>> = O extends { remote: RemoteGovernor }
  ? (...args: Parameters<F>) => Promise<Nullable<F, O>>
  : O extends { onBlock: 'null' }
    ? (...args: Parameters<F>) => ReturnType<F> extends Promise<infer R> ? Promise<R | null> : ReturnType<F> | null
    : F;

const AsyncFunction = (async () => {}).constructor;

function pick<F extends AnyFn, T>(spec: string | FromArgs<F, T> | undefined, names: string[], args: unknown[]): T | undefined {
  if (spec === undefined) return undefined;
  if (typeof spec === 'function') return spec(...(args as Parameters<F>));
  const i = names.indexOf(spec);
  return i >= 0 ? (args[i] as T) : undefined;
}

/** Builds the Action for one call. Exported for the remote hook and tests. */
export function actionFor<F extends AnyFn>(fnName: string, names: string[], options: GuardOptions<F>, args: unknown[]): Action {
  const action: Action = { name: options.action ?? fnName };
  const argMap: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) argMap[names[i] ?? `arg${i}`] = args[i];
  action.args = argMap;
  const dest = pick(options.dest ?? (names.includes('dest') ? 'dest' : undefined), names, args);
  if (typeof dest === 'string') action.dest = dest;
  const content = pick(options.content, names, args);
  if (content !== undefined) action.content = content;
  const tenant = pick(options.tenant, names, args);
  if (typeof tenant === 'string') action.tenant = tenant;
  const principal = typeof options.principal === 'function' ? options.principal(...(args as Parameters<F>)) : options.principal;
  if (principal) action.principal = principal;
  const data = typeof options.data === 'function' ? options.data(...(args as Parameters<F>)) : options.data;
  if (data) action.data = data;
  return action;
}

export function guard<F extends AnyFn, const O extends GuardOptions<F> = GuardOptions<F>>(fn: F, options?: O): Guarded<F, O> {
  const opts: GuardOptions<F> = options ?? {};
  const names = opts.params ?? paramNames(fn);
  const fnName = fn.name || 'anonymous';
  const isAsync = fn instanceof AsyncFunction;
  const onBlock = opts.onBlock ?? 'throw';

  /** Acts on a decision: run (possibly with scrubbed content), or refuse. `async` says how to refuse. */
  function act(self: unknown, decision: Decision, action: Action, args: unknown[], async: boolean): unknown {
    opts.onDecision?.(decision, action);
    const refuse = (e: Error) => {
      if (async) return Promise.reject(e);
      throw e;
    };
    if (decision.allow) {
      if (decision.effect === 'scrub' && decision.scrubbed !== undefined) {
        // The function receives the scrubbed content in place of the original argument.
        const i = typeof opts.content === 'string' ? names.indexOf(opts.content) : -1;
        if (i < 0) {
          return refuse(
            new PolicyViolation({
              ruleId: decision.ruleId ?? 'scrub',
              reason: `${decision.reason}; the content cannot be scrubbed because guard() got it from a function — pass \`content: '<parameter name>'\``,
              effect: 'block',
            }),
          );
        }
        const scrubbedArgs = [...args];
        scrubbedArgs[i] = decision.scrubbed;
        return fn.apply(self, scrubbedArgs);
      }
      if (decision.effect === 'warn' || decision.effect === 'scrub') {
        logger().warn({ action: action.name, effect: decision.effect, rule: decision.ruleId }, decision.reason);
      }
      return fn.apply(self, args);
    }
    const ruleId = decision.ruleId ?? 'default';
    const refusal =
      decision.effect === 'defer'
        ? new ApprovalRequired({ ruleId, reason: `approval required: ${decision.reason}`, ...(decision.approvalId ? { approvalId: decision.approvalId } : {}) })
        : new PolicyViolation({ ruleId, reason: decision.reason, effect: decision.effect, ...(decision.incidentId ? { incidentId: decision.incidentId } : {}) });
    if (onBlock === 'null') {
      logger().warn({ action: action.name, rule: ruleId, incident: decision.incidentId }, `blocked: ${decision.reason}`);
      return async ? Promise.resolve(null) : null;
    }
    return refuse(refusal);
  }

  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const action = actionFor(fnName, names, opts, args);
    const decideOpts: { findings?: readonly Finding[]; bypass?: boolean } = {};
    if (opts.findings) decideOpts.findings = opts.findings(...(args as Parameters<F>));
    if (opts.bypass !== undefined) decideOpts.bypass = opts.bypass;
    const remote = opts.governor ? undefined : (opts.remote ?? (isAsync ? defaultRemote() : undefined));
    if (remote) {
      const self = this;
      return (async () => {
        let d = await remote.decide(action, opts.failMode);
        if (d.effect === 'defer' && d.approvalId && opts.approval) {
          const status = await remote.waitForApproval(d.approvalId, opts.approval.waitMs);
          if (status === 'approved') d = await remote.decide({ ...action, approvalId: d.approvalId }, opts.failMode);
          else if (status !== 'pending') {
            d = { ...d, allow: false, effect: 'block', reason: `approval ${d.approvalId} was ${status}: ${d.reason}` };
          }
        }
        return act(self, d, action, args, true);
      })();
    }
    const governor = opts.governor ?? defaultGovernor();
    return act(this, governor.decide(action, decideOpts), action, args, isAsync);
  };
  Object.defineProperty(wrapped, 'name', { value: fnName });
  return wrapped as unknown as Guarded<F, O>;
}
