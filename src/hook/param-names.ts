/**
 * Parameter names of a function, read from its source, so `guard(exportPhi)` can report
 * `args: {file, dest}` without being told. Destructured or unreadable parameters become `arg0`…;
 * pass `params` to guard() when the source is minified.
 */
export function paramNames(fn: Function): string[] {
  const src = Function.prototype.toString.call(fn).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  let list: string;
  const arrowSingle = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrowSingle) list = arrowSingle[1]!;
  else {
    const open = src.indexOf('(');
    if (open < 0) return [];
    let depth = 0;
    let end = open;
    for (let i = open; i < src.length; i++) {
      const c = src[i];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      if (depth === 0) {
        end = i;
        break;
      }
    }
    list = src.slice(open + 1, end);
  }
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of list) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p, i) => {
    const m = /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)\s*(?:=|$)/.exec(p);
    return m ? m[1]! : `arg${i}`;
  });
}
