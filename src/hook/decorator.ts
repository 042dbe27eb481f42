/**
 * The same hook as a (TC39 standard) method decorator:
 *
 *   class Exporter {
 *     @guarded({ data: { classification: 'phi' } })
 *     exportPhi(file: string, dest: string) { … }
 *   }
 */
import { guard, type AnyFn, type GuardOptions } from './guard.js';

export function guarded<F extends AnyFn>(options: GuardOptions<F> = {}) {
  return function (method: F, context: ClassMethodDecoratorContext): F {
    const opts: GuardOptions<F> = { ...options };
    opts.action ??= String(context.name);
    return guard(method, opts) as F;
  };
}
