/**
 * Small CLI helpers: reading input from a file or stdin, printing JSON, failing with one clear line.
 */
import { readFile } from 'node:fs/promises';
import { EsqError, InvalidInputError, PolicyLoadError, formatProblem } from '../errors.js';
import { EXIT } from './exit-codes.js';
import pc from 'picocolors';

export async function readInput(file: string | undefined): Promise<string> {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new InvalidInputError('no input: pass a file or pipe JSON on stdin (see --help)');
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Maps an error to the shared exit code and prints it as one actionable message (no stack trace). */
export function failWith(err: unknown, json = false): number {
  // Bad input, bad policy, bad configuration: the user can fix it (2). Anything else is ours (1).
  const exit = err instanceof EsqError ? EXIT.USAGE : EXIT.INTERNAL;
  if (json) {
    const body: Record<string, unknown> = { error: { code: err instanceof EsqError ? err.code : 'ESQ_INTERNAL', message: (err as Error).message } };
    if (err instanceof PolicyLoadError) (body.error as Record<string, unknown>).problems = err.problems;
    process.stderr.write(`${JSON.stringify(body)}\n`);
  } else if (err instanceof PolicyLoadError) {
    process.stderr.write(`${pc.red('esq: policy failed to load')}\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
  } else if (err instanceof EsqError) {
    process.stderr.write(`${pc.red('esq:')} ${err.message}\n`);
  } else {
    process.stderr.write(`${pc.red('esq: internal error:')} ${(err as Error)?.stack ?? String(err)}\n`);
  }
  return exit;
}
