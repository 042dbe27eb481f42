/**
 * The labelled corpus: positive texts (documents with exact entity spans) and hard negatives
 * (texts that must yield no finding). Deterministic for a seed; sample i depends only on the
 * seed and i.
 */
import { FILLERS } from './fillers.js';
import { GENERIC_MENTIONS, GENRES, type Genre } from './genres/index.js';
import { NEGATIVE_CATEGORIES, NEGATIVE_FILLERS } from './negatives.js';
import { Rng } from './rng.js';
import { type Label, type RenderEnv, type Segment, TextBuilder, render } from './template.js';
import { type DocContext, makeContext } from './values/context.js';
import { VALUE_GENERATORS } from './values/index.js';

export type { Label, Segment } from './template.js';
export { CHECKSUM_ENTITIES, VALUE_GENERATORS } from './values/index.js';

export interface Sample {
  /** `p000123` or `n000045`. */
  id: string;
  kind: 'positive' | 'negative';
  /** Genre of a positive text; primary category of a hard negative. */
  genre: string;
  text: string;
  /** Entity spans; `optional` ones are don't-care. Hard negatives hold only optional labels. */
  labels: Label[];
  /** Where each part of the text came from: `mention:ENTITY`, `filler`, `open`, `close`, or a negative category. */
  segments: Segment[];
}

export interface CorpusOptions {
  seed?: number | string;
  positives?: number;
  negatives?: number;
}

export const DEFAULT_SEED = 20240601;
export const DEFAULT_POSITIVES = 2400;
export const DEFAULT_NEGATIVES = 1200;

/** Every entity the generator can write; positive text i is built around FOCUS[i mod n]. */
export const ENTITIES: readonly string[] = Object.keys(VALUE_GENERATORS);

function env(rng: Rng, ctx: DocContext): RenderEnv {
  return {
    rng,
    entity(name, tag) {
      const gen = VALUE_GENERATORS[name];
      if (!gen) throw new Error(`template names an unknown entity: ${name}`);
      return gen(rng, ctx, tag);
    },
    filler(name, arg) {
      const f = FILLERS[name] ?? NEGATIVE_FILLERS[name];
      if (!f) throw new Error(`template names an unknown filler: ${name}`);
      return f(rng, ctx, arg);
    },
  };
}

function mention(rng: Rng, genre: Genre, entity: string): string {
  const own = genre.mentions[entity];
  const generic = GENERIC_MENTIONS[entity];
  if (!generic) throw new Error(`no generic mention for ${entity}`);
  const ownShare = genre.name === 'short' ? 0.85 : 0.6;
  return own && own.length > 0 && rng.chance(ownShare) ? rng.pick(own) : rng.pick(generic);
}

export function positiveSample(seed: number | string, i: number): Sample {
  const rng = new Rng(seed, `positive/${i}`);
  const ctx = makeContext(rng);
  const genre = rng.weighted(GENRES);
  const focus = ENTITIES[i % ENTITIES.length]!;
  const natural = Object.keys(genre.mentions).filter((e) => e !== focus);
  const parts: Array<[string, string]> = [[`mention:${focus}`, mention(rng, genre, focus)]];
  if (genre.name !== 'short') {
    // Extra mentions of other entities (mostly ones natural to the genre), then filler, no repeats.
    const others = rng.shuffle(ENTITIES.filter((e) => e !== focus && !natural.includes(e)));
    const extras = rng.shuffle(natural).slice(0, 3);
    for (let k = rng.int(1, 3); k > 0; k--) {
      const e = extras.length > 0 && rng.chance(0.75) ? extras.shift()! : others.shift()!;
      parts.push([`mention:${e}`, mention(rng, genre, e)]);
    }
    for (const f of rng.shuffle(genre.filler).slice(0, rng.int(1, 4))) parts.push(['filler', f]);
  }
  const body = rng.shuffle(parts);
  if (genre.open.length > 0 && rng.chance(0.7)) body.unshift(['open', rng.pick(genre.open)]);
  if (genre.close.length > 0 && rng.chance(0.5)) body.push(['close', rng.pick(genre.close)]);
  const style = rng.next();

  const b = new TextBuilder();
  b.literalCase = rng.weighted([['as-is', 16], ['lower', 2], ['upper', 1]] as const);
  const e = env(rng, ctx);
  body.forEach(([category, template], k) => {
    if (k > 0) b.append(genre.join(rng));
    const t = genre.line ? genre.line(rng, template, style) : template;
    b.segment(category, () => render(t, e, b));
  });
  if (rng.chance(0.1)) b.append('\n');
  return { id: `p${String(i).padStart(6, '0')}`, kind: 'positive', genre: genre.name, text: b.text, labels: b.labels, segments: b.segments };
}

const CATEGORIES = Object.keys(NEGATIVE_CATEGORIES);
const OPENERS = ['', '', 'Update: ', 'FYI — ', 'Hi team, ', 'Note: ', 'Re: ', '> '];

export function negativeSample(seed: number | string, i: number): Sample {
  const rng = new Rng(seed, `negative/${i}`);
  const ctx = makeContext(rng);
  const primary = CATEGORIES[i % CATEGORIES.length]!;
  const parts: string[] = [primary];
  if (rng.chance(0.5)) parts.push(primary);
  if (rng.chance(0.35)) parts.push(rng.pick(CATEGORIES));
  const b = new TextBuilder();
  const e = env(rng, ctx);
  const sep = rng.pick([' ', '\n']);
  b.append(rng.pick(OPENERS));
  // Each category's sentences are dealt without replacement, so a text never repeats one.
  const decks = new Map<string, string[]>();
  rng.shuffle(parts).forEach((category, k) => {
    const deck = decks.get(category) ?? decks.set(category, rng.shuffle(NEGATIVE_CATEGORIES[category]!)).get(category)!;
    const template = deck.shift();
    if (template === undefined) return;
    if (k > 0) b.append(sep);
    b.segment(category, () => render(template, e, b));
  });
  return { id: `n${String(i).padStart(6, '0')}`, kind: 'negative', genre: primary, text: b.text, labels: b.labels, segments: b.segments };
}

export function generateCorpus(opts: CorpusOptions = {}): Sample[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  const out: Sample[] = [];
  for (let i = 0; i < (opts.positives ?? DEFAULT_POSITIVES); i++) out.push(positiveSample(seed, i));
  for (let i = 0; i < (opts.negatives ?? DEFAULT_NEGATIVES); i++) out.push(negativeSample(seed, i));
  return out;
}
