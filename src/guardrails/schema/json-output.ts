/**
 * Parses an LLM output that must be JSON. Models often wrap the JSON in a Markdown fence
 * ("```json … ```"), sometimes with a sentence before or after it; that is accepted. Anything
 * else is an InvalidInputError that says what was wrong and where, without quoting the output
 * (it may hold PHI, and errors end up in logs).
 */
import { InvalidInputError } from '../../errors.js';

const FENCE = '```';

interface Fence {
  lang: string;
  body: string;
  closed: boolean;
}

/** Only indentation between the line's start and `at`. */
function atLineStart(text: string, at: number): boolean {
  return text.slice(text.lastIndexOf('\n', at - 1) + 1, at).trim() === '';
}

/** Markdown code fences in the text, in order (a fence opens at a line start). */
function fences(text: string): Fence[] {
  const out: Fence[] = [];
  let from = 0;
  while (from < text.length) {
    const open = text.indexOf(FENCE, from);
    if (open === -1) break;
    const lineStart = atLineStart(text, open);
    const eol = text.indexOf('\n', open);
    if (!lineStart || eol === -1) {
      from = open + FENCE.length;
      continue;
    }
    const lang = text.slice(open + FENCE.length, eol).trim().toLowerCase();
    // The closing fence: ``` at the start of a line (after optional indentation).
    let close = -1;
    for (let at = text.indexOf(FENCE, eol); at !== -1; at = text.indexOf(FENCE, at + FENCE.length)) {
      if (atLineStart(text, at)) {
        close = at;
        break;
      }
    }
    if (close === -1) {
      out.push({ lang, body: text.slice(eol + 1), closed: false });
      break;
    }
    out.push({ lang, body: text.slice(eol + 1, close), closed: true });
    from = close + FENCE.length;
  }
  return out;
}

/** JSON.parse's message without the excerpt of the input that V8 puts in it. */
function describeParseError(e: unknown, text: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Unexpected end of JSON input/i.test(msg)) return 'it ends too early (truncated output?)';
  const pos = /at position (\d+)/.exec(msg);
  if (pos) {
    const at = Number(pos[1]);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    const what = msg.replace(/ in JSON at position \d+.*$/s, '').replace(/"[^"]*"\.{0,3}/g, '').trim();
    return `${what} at line ${line}, column ${column}`;
  }
  const token = /Unexpected token '?(.)'?/.exec(msg);
  if (token) return `unexpected character ${JSON.stringify(token[1])}`;
  return 'it is not valid JSON';
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; why: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, why: describeParseError(e, text) };
  }
}

const JSON_LANGS = new Set(['json', 'jsonc', 'json5', 'javascript', 'js']);

/**
 * The JSON value in an LLM's output: the whole text, or the first ```json fenced block (or the
 * first unlabelled block when none is labelled json). Throws InvalidInputError otherwise.
 */
export function parseJsonOutput(text: string): unknown {
  if (typeof text !== 'string') throw new InvalidInputError(`expected the model output as a string, got ${text === null ? 'null' : typeof text}`);
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') throw new InvalidInputError('model output is empty; expected JSON');
  const whole = tryParse(body);
  if (whole.ok) return whole.value;

  const blocks = fences(body);
  const block = blocks.find((f) => f.lang === 'json') ?? blocks.find((f) => JSON_LANGS.has(f.lang)) ?? blocks.find((f) => f.lang === '');
  if (!block) {
    const looksLikeJson = body.startsWith('{') || body.startsWith('[');
    throw new InvalidInputError(
      looksLikeJson ? `model output is not valid JSON: ${whole.why}` : 'model output is not JSON and holds no ```json fenced block',
    );
  }
  if (!block.closed) throw new InvalidInputError('model output opens a ```json block but never closes it (truncated output?)');
  const inner = tryParse(block.body.trim());
  if (inner.ok) return inner.value;
  throw new InvalidInputError(`the \`\`\`${block.lang} block in the model output is not valid JSON: ${inner.why}`);
}
