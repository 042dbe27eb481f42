import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import pc from 'picocolors';
import { InvalidInputError } from '../../errors.js';
import { DEFAULT_MIN_SCORE } from '../../guardrails/detect/analyzer.js';
import { checkEntities, defaultAnalyzer } from '../../guardrails/detect/registry.js';
import { analyzeStream, utf8Chunks } from '../../guardrails/detect/stream.js';
import type { AnalyzeOptions, Finding } from '../../guardrails/detect/types.js';
import { EXIT } from '../exit-codes.js';

interface DetectOpts {
  json?: boolean;
  jsonl?: string | boolean;
  entities?: string;
  minScore?: string;
  failOn?: string;
}

function parseScore(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidInputError(`${flag} takes a score from 0 to 1, not "${v}"`);
  return n;
}

function byteSource(file: string | undefined): AsyncIterable<Uint8Array> {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new InvalidInputError('no input: pass a file or pipe text on stdin (see --help)');
    return process.stdin;
  }
  return createReadStream(file);
}

async function assertReadable(file: string | undefined): Promise<void> {
  if (file === undefined || file === '-') return;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new InvalidInputError(`${file} is not a file`);
  } catch (e) {
    if (e instanceof InvalidInputError) throw e;
    throw new InvalidInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Line and column (1-based) of each finding, computed in one pass over the text. */
function lineCols(text: string, fs: Finding[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  for (const f of fs) {
    for (; i < f.start; i++) if (text.charCodeAt(i) === 10) (line++, (lineStart = i + 1));
    out.push([line, f.start - lineStart + 1]);
  }
  return out;
}

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('Find PII, PHI and secrets in text (findings only; raw values are never printed)')
    .argument('[file]', 'UTF-8 text file, or - for stdin', '-')
    .option('--json', 'print a JSON array of {entity, start, end, score, detector}')
    .option('--jsonl [file]', 'batch mode: read one JSON object per line with a "text" field; print one JSON array per line')
    .option('--entities <list>', 'only these entity types, comma-separated (e.g. US_SSN,CREDIT_CARD)')
    .option('--min-score <x>', `hide findings scoring below x (default ${DEFAULT_MIN_SCORE}; 0 shows everything)`)
    .option('--fail-on <x>', 'exit 3 when any finding scores at least x (for CI)')
    .addHelpText(
      'after',
      `
Offsets are JavaScript string indices (UTF-16 code units) of the decoded text, end exclusive.
Large inputs are scanned in overlapping chunks; findings across chunk borders are kept.
Exit codes: 0 done, 3 a finding reached --fail-on, 2 bad input (a malformed --jsonl line names its number).

Examples:
  echo "SSN 078-05-1121, card 4111 1111 1111 1111" | esq detect
  esq detect notes.txt --json --entities US_SSN,MEDICAL_RECORD_NUMBER
  esq detect --jsonl prompts.jsonl > findings.jsonl`,
    )
    .action(async (fileArg: string, o: DetectOpts) => {
      const analyzer = defaultAnalyzer();
      const opts: AnalyzeOptions = {};
      if (o.entities) opts.entities = checkEntities(o.entities.split(',').map((s) => s.trim()).filter(Boolean), analyzer);
      if (o.minScore !== undefined) opts.minScore = parseScore(o.minScore, '--min-score');
      const failOn = o.failOn !== undefined ? parseScore(o.failOn, '--fail-on') : undefined;
      let worst = 0;
      const note = (fs: Finding[]) => fs.forEach((f) => (worst = Math.max(worst, f.score)));

      if (o.jsonl !== undefined) {
        const file = typeof o.jsonl === 'string' ? o.jsonl : fileArg;
        await assertReadable(file);
        const rl = createInterface({ input: file === '-' ? (byteSource(file) as NodeJS.ReadableStream) : createReadStream(file), crlfDelay: Infinity });
        let n = 0;
        for await (const line of rl) {
          n++;
          if (line.trim() === '') throw new InvalidInputError(`line ${n}: empty line (each line must be a JSON object with a "text" field)`);
          let obj: unknown;
          try {
            obj = JSON.parse(line);
          } catch (e) {
            throw new InvalidInputError(`line ${n}: not valid JSON (${(e as Error).message})`);
          }
          const text = (obj as { text?: unknown } | null)?.text;
          if (typeof text !== 'string') throw new InvalidInputError(`line ${n}: expected an object with a string "text" field`);
          const fs = analyzer.analyze(text, opts);
          note(fs);
          process.stdout.write(`${JSON.stringify(fs)}\n`);
        }
      } else {
        await assertReadable(fileArg);
        const findings: Finding[] = [];
        let text = '';
        const keepText = !o.json; // line:column needs the text; JSON output streams without keeping it
        async function* tee(src: AsyncIterable<string>) {
          for await (const s of src) {
            if (keepText) text += s;
            yield s;
          }
        }
        if (o.json) process.stdout.write('[');
        let first = true;
        for await (const f of analyzeStream(tee(utf8Chunks(byteSource(fileArg))), analyzer, opts)) {
          note([f]);
          if (o.json) {
            process.stdout.write(`${first ? '\n  ' : ',\n  '}${JSON.stringify(f)}`);
            first = false;
          } else findings.push(f);
        }
        if (o.json) process.stdout.write(first ? ']\n' : '\n]\n');
        else {
          const pos = lineCols(text, findings);
          findings.forEach((f, i) => {
            const [l, c] = pos[i]!;
            process.stdout.write(`${`${l}:${c}`.padEnd(9)} ${f.entity.padEnd(24)} ${f.score.toFixed(2)}  ${pc.dim(`[${f.start}, ${f.end}) ${f.detector}`)}\n`);
          });
          process.stdout.write(pc.dim(`${findings.length} finding${findings.length === 1 ? '' : 's'}\n`));
        }
      }
      if (failOn !== undefined && worst >= failOn) process.exitCode = EXIT.REFUSED;
    });
}
