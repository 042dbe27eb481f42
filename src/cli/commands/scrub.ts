import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { settingsFromEnv } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { DEFAULT_MIN_SCORE } from '../../guardrails/detect/analyzer.js';
import { checkEntities, defaultAnalyzer } from '../../guardrails/detect/registry.js';
import { utf8Chunks } from '../../guardrails/detect/stream.js';
import type { AnalyzeOptions } from '../../guardrails/detect/types.js';
import { deanonymize, loadScrubKeys, parseOperatorAssignments, parseOperatorSpec, TokenMap } from '../../guardrails/scrub/index.js';
import { scrubStream, type StreamScrubStats } from '../../guardrails/scrub/stream.js';
import { parseJson, readInput } from '../io.js';

function source(file: string): AsyncIterable<Uint8Array> {
  if (file === '-') {
    if (process.stdin.isTTY) throw new InvalidInputError('no input: pass a file or pipe text on stdin (see --help)');
    return process.stdin;
  }
  return createReadStream(file);
}

async function readable(file: string): Promise<void> {
  if (file !== '-') await readInput(file).then(() => undefined); // one clear error for a missing file
}

const collect = (v: string, acc: string[]) => [...acc, v];

export function registerScrub(program: Command): void {
  program
    .command('scrub')
    .description('Replace PII, PHI and secrets in text: redact, replace, mask, hash, encrypt or tokenize')
    .argument('[file]', 'UTF-8 text file, or - for stdin', '-')
    .option('-o, --operator <ENTITY=op[:param]>', 'operator for one entity type (repeatable), e.g. US_SSN=mask:4', collect, [])
    .option('--default <op[:param]>', 'operator for every other entity (default: replace → <ENTITY>)')
    .option('--entities <list>', 'only these entity types, comma-separated')
    .option('--min-score <x>', `only findings scoring at least x (default ${DEFAULT_MIN_SCORE})`)
    .option('--tenant <id>', 'tenant whose keys hash/encrypt use (default: default)')
    .option('--token-map <file>', 'write the tokenize map here (JSON; it holds raw values — protect it)')
    .option('--stats', 'print how many findings were replaced to stderr')
    .addHelpText(
      'after',
      `
Operators: redact (remove), replace[:TEXT] (<ENTITY>), mask[:N[:C]] (keep the last N, default 4),
hash[:HEX] (keyed HMAC-SHA256, tenant-scoped), encrypt (AES-256-GCM, reversible with
esq deanonymize), tokenize (PERSON_1… consistent per document, reversible with the token map).
Keys: ESQ_MASTER_KEY (base64, ≥ 32 bytes) or ESQ_HOME/keys/scrub-master.key (made on first use).

Examples:
  echo "SSN 078-05-1121" | esq scrub --operator US_SSN=mask:4
  esq scrub note.txt -o PERSON=tokenize -o US_SSN=encrypt --token-map map.json > note.scrubbed.txt`,
    )
    .action(async (file: string, o: { operator: string[]; default?: string; entities?: string; minScore?: string; tenant?: string; tokenMap?: string; stats?: boolean }) => {
      const analyzer = defaultAnalyzer();
      const operators = parseOperatorAssignments(o.operator);
      const defaultOperator = parseOperatorSpec(o.default ?? 'replace');
      const analyzeOpts: AnalyzeOptions = {};
      if (o.entities) analyzeOpts.entities = checkEntities(o.entities.split(',').map((s) => s.trim()).filter(Boolean), analyzer);
      if (o.minScore !== undefined) {
        const n = Number(o.minScore);
        if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidInputError(`--min-score takes a score from 0 to 1, not "${o.minScore}"`);
        analyzeOpts.minScore = n;
      }
      await readable(file);
      const tenant = o.tenant ?? 'default';
      const tokenMap = new TokenMap(tenant);
      const needKeys = [defaultOperator, ...Object.values(operators)].some((op) => op.name === 'hash' || op.name === 'encrypt');
      const scrubOpts = { operators, defaultOperator, tenant, tokenMap, ...(needKeys ? { keys: loadScrubKeys({ home: settingsFromEnv().home }) } : {}) };
      const stats: StreamScrubStats = { findings: 0, replaced: 0 };
      for await (const piece of scrubStream(utf8Chunks(source(file)), analyzer, analyzeOpts, scrubOpts, {}, stats)) process.stdout.write(piece);
      if (o.tokenMap) await writeFile(o.tokenMap, `${JSON.stringify(tokenMap.toJSON(), null, 2)}\n`, { mode: 0o600 });
      if (o.stats) process.stderr.write(`${stats.replaced} of ${stats.findings} findings replaced\n`);
    });

  program
    .command('deanonymize')
    .description('Reverse encrypt and tokenize in scrubbed text (needs the key and/or the token map)')
    .argument('[file]', 'scrubbed text file, or - for stdin', '-')
    .option('--token-map <file>', 'the token map written by esq scrub --token-map')
    .option('--tenant <id>', 'tenant the text was scrubbed for (default: default)')
    .addHelpText('after', '\nExit codes: 0 done, 2 bad input (a wrong key, tenant or tampered ciphertext is refused, never decoded as garbage).')
    .action(async (file: string, o: { tokenMap?: string; tenant?: string }) => {
      const text = await readInput(file);
      const tenant = o.tenant ?? 'default';
      const opts: Parameters<typeof deanonymize>[1] = { tenant };
      if (o.tokenMap) opts.tokenMap = TokenMap.fromJSON(parseJson(await readInput(o.tokenMap), 'token map'));
      if (text.includes('ENC[')) opts.keys = loadScrubKeys({ home: settingsFromEnv().home });
      const r = deanonymize(text, opts);
      process.stdout.write(r.text);
      if (r.unresolved.length > 0) process.stderr.write(`esq: ${r.unresolved.length} token(s) not in the map were left as they are\n`);
    });
}
