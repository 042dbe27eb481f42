import { ConfigError, formatProblem, type SourceProblem } from '../../errors.js';

/** An envelope file could not be loaded. Carries every problem, each with file and line. */
export class EnvelopeConfigError extends ConfigError {
  readonly problems: SourceProblem[];
  constructor(problems: SourceProblem[]) {
    const head = problems.slice(0, 5).map(formatProblem).join('\n  ');
    const more = problems.length > 5 ? `\n  … and ${problems.length - 5} more` : '';
    super(`envelope file failed to load (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${head}${more}`);
    this.problems = problems;
  }
}
