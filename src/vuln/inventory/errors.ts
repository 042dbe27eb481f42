/**
 * Input errors that name the file and the position, so a malformed lockfile or SBOM is never
 * mistaken for an empty (CLEAN) one.
 */
import { InvalidInputError, formatProblem } from '../../errors.js';

export interface Position {
  line?: number;
  column?: number;
}

export function inputError(file: string, message: string, pos: Position = {}): InvalidInputError {
  return new InvalidInputError(formatProblem({ file, ...pos, message }));
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): Required<Position> {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/**
 * Offset of the first syntax error in `text` (which JSON.parse rejected). V8 does not always
 * give a position, so a small validator finds it.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

/** JSON.parse that reports where the text stops being JSON. */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    // V8 appends positions or a quoted excerpt; the position below says it better.
    const reason = (e as Error).message.replace(/( in JSON)? at position \d+.*$/s, '').replace(/, (\.\.\.)?".*$/s, '');
    throw inputError(file, `not valid JSON: ${reason}`, lineColumn(body, jsonErrorOffset(body)));
  }
}

/** Line of the first occurrence of `needle`, for errors about a JSON member found after parsing. */
export function lineOf(text: string, needle: string): Position {
  const i = text.indexOf(needle);
  return i === -1 ? {} : { line: lineColumn(text, i).line };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
