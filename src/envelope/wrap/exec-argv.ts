/**
 * Node flags for a child that runs one of our modules as a script: only the parent's loader flags
 * (`--import tsx` when running from source). Never the rest: an inline script (`-e`) would make the
 * child run the caller's code again instead of the module — and, if that code forks, without end.
 */
export function childExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--import' || a === '--loader' || a === '--experimental-loader' || a === '--require' || a === '-r') {
      if (i + 1 < argv.length) out.push(a, argv[++i]!);
    } else if (/^--(import|loader|experimental-loader|require)=/.test(a)) out.push(a);
  }
  return out;
}
