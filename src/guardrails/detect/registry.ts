/**
 * The built-in detectors, listed explicitly (no registration by import side effect).
 */
import { InvalidInputError } from '../../errors.js';
import { Analyzer } from './analyzer.js';
import { contactDetectors } from './detectors/contact.js';
import { identityDetectors } from './detectors/identity.js';
import { internationalDetectors } from './detectors/international.js';
import { secretDetectors } from './detectors/secrets/index.js';
import type { Detector } from './types.js';

export function builtinDetectors(): Detector[] {
  return [...identityDetectors, ...internationalDetectors, ...contactDetectors, ...secretDetectors];
}

let shared: Analyzer | undefined;
/** One analyzer with every built-in detector (detectors are stateless, so it is shared). */
export function defaultAnalyzer(): Analyzer {
  shared ??= new Analyzer(builtinDetectors());
  return shared;
}

/** Validates entity names a user asked for (e.g. `--entities`), naming the unknown ones. */
export function checkEntities(names: readonly string[], analyzer = defaultAnalyzer()): string[] {
  const unknown = names.filter((n) => !analyzer.entities.includes(n));
  if (unknown.length > 0) throw new InvalidInputError(`unknown entity type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${analyzer.entities.join(', ')})`);
  return [...names];
}
