/** "1 rule", "2 rules": a count with its noun, for CLI output. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
