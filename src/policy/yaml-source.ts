/**
 * YAML with positions: parse once, then answer "which line is `rules[3].when` on?" so every
 * load error can name file, line and rule.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { SourceProblem } from '../errors.js';

export interface YamlSource {
  file: string;
  value: unknown;
  /** 1-based line/column of the node at a path, or of its nearest existing ancestor. */
  locate(path: ReadonlyArray<string | number>): { line: number; column: number } | undefined;
}

export function parseYaml(file: string, text: string): { source?: YamlSource; problems: SourceProblem[] } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { file, line: pos?.line, column: pos?.col, message: `YAML: ${(e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "")}` };
      }),
    };
  }
  const locate = (path: ReadonlyArray<string | number>) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const p = lineCounter.linePos(node.range[0]);
        return { line: p.line, column: p.col };
      }
    }
    return undefined;
  };
  return { source: { file, value: doc.toJS({ maxAliasCount: 100 }), locate }, problems: [] };
}
