/**
 * Texts are built by rendering small templates into a builder that records every entity's span
 * as it is appended, so a label's [start, end) is exact by construction.
 *
 * Template syntax:
 *   {a|b|}          one alternative, chosen at random (alternatives may hold further templates)
 *   {ENTITY}        a labelled entity value; {ENTITY:tag} passes a hint (e.g. {PERSON:patient})
 *   {?ENTITY:tag}   a value labelled "don't care": findings over it are neither right nor wrong
 *   {$filler:arg}   unlabelled filler text (itself a template)
 */
import type { Rng } from './rng.js';

export interface Label {
  entity: string;
  /** JavaScript string indices, end exclusive (as `Finding`). */
  start: number;
  end: number;
  value: string;
  /** How the value was written, e.g. `visa/dash`, `de/grouped`; for per-format recall. */
  format: string;
  /** A don't-care region: not a miss when unfound, not a false finding when found. */
  optional?: boolean;
}

/** A stretch of text with a known source (hard negatives: which category it came from). */
export interface Segment {
  category: string;
  start: number;
  end: number;
}

export interface Generated {
  value: string;
  format: string;
  /** Entities inside the value, offsets relative to it (the ZIP code of an address). */
  parts?: ReadonlyArray<{ entity: string; start: number; end: number; format: string }>;
}

export interface RenderEnv {
  rng: Rng;
  entity(name: string, tag: string | undefined): Generated;
  filler(name: string, arg: string | undefined): string;
}

export class TextBuilder {
  text = '';
  readonly labels: Label[] = [];
  readonly segments: Segment[] = [];
  /** Case applied to literal text (not to entity values): some systems and people write all caps or no caps. */
  literalCase: 'as-is' | 'upper' | 'lower' = 'as-is';

  append(s: string): this {
    this.text += this.literalCase === 'upper' ? s.toUpperCase() : this.literalCase === 'lower' ? s.toLowerCase() : s;
    return this;
  }

  entity(entity: string, g: Generated, optional = false): this {
    const start = this.text.length;
    this.text += g.value;
    const labels: Label[] = [{ entity, start, end: this.text.length, value: g.value, format: g.format }];
    for (const p of g.parts ?? []) labels.push({ entity: p.entity, start: start + p.start, end: start + p.end, value: g.value.slice(p.start, p.end), format: p.format });
    for (const l of labels) {
      if (optional) l.optional = true;
      this.labels.push(l);
    }
    return this;
  }

  /** Records what `write` appends as a segment of `category`. */
  segment(category: string, write: () => void): this {
    const start = this.text.length;
    write();
    this.segments.push({ category, start, end: this.text.length });
    return this;
  }
}

const ENTITY_SLOT = /^(\?)?([A-Z][A-Z0-9_]*)(?::([\w-]+))?$/;
const FILLER_SLOT = /^\$([a-zA-Z][\w]*)(?::([\w-]+))?$/;

/** Index of the `}` closing the `{` at `open`. */
function closing(t: string, open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (t[i] === '{') depth++;
    else if (t[i] === '}' && --depth === 0) return i;
  }
  throw new SyntaxError(`unclosed "{" at ${open} in template: ${t}`);
}

/** Splits at the `|` that are not nested inside braces. */
function alternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '|' && depth === 0) {
      out.push(body.slice(from, i));
      from = i + 1;
    }
  }
  out.push(body.slice(from));
  return out;
}

export function render(template: string, env: RenderEnv, b: TextBuilder): void {
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      b.append(template.slice(i));
      return;
    }
    b.append(template.slice(i, open));
    const close = closing(template, open);
    const body = template.slice(open + 1, close);
    const alts = alternatives(body);
    if (alts.length > 1) {
      render(env.rng.pick(alts), env, b);
    } else {
      const e = ENTITY_SLOT.exec(body);
      const f = e ? null : FILLER_SLOT.exec(body);
      if (e) b.entity(e[2]!, env.entity(e[2]!, e[3]), e[1] === '?');
      else if (f) render(env.filler(f[1]!, f[2]), env, b);
      else throw new SyntaxError(`bad slot "{${body}}" in template: ${template}`);
    }
    i = close + 1;
  }
}
