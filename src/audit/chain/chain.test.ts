import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import canonicalizeModule from 'canonicalize';
import { InvalidInputError } from '../../errors.js';
import { EMPTY_HEAD, GENESIS_HASH, canonicalBody, extendChain, hashedBody, prepareAuditInputs, recordHash, type AuditRecord } from './record.js';
import { ChainVerifier, verifyChain } from './verify.js';

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string;
const NOW = new Date('2026-11-22T14:00:00Z');

function chain(n: number): AuditRecord[] {
  const inputs = Array.from({ length: n }, (_, i) => ({ kind: 'decision', action: 'export_phi', effect: i % 3 ? 'allow' : 'block', ruleIds: i % 3 ? [] : ['R1'], data: { i } }));
  return extendChain(EMPTY_HEAD, prepareAuditInputs(inputs, NOW));
}

/** Re-hashes a record after an edit, as a careful forger would. */
function rehash(r: Omit<AuditRecord, 'hash'> & { hash?: string }): AuditRecord {
  const { hash: _old, ...body } = r;
  return { ...body, hash: recordHash(body) };
}

describe('hash chain', () => {
  it('hashes sha256(prevHash + RFC 8785 canonical record without hash), from 64 zeros', () => {
    const [first, second] = chain(2);
    assert.equal(first!.prevHash, GENESIS_HASH);
    assert.equal(GENESIS_HASH, '0'.repeat(64));
    const { hash, ...body } = first!;
    assert.equal(hash, createHash('sha256').update(GENESIS_HASH + canonicalize(body)).digest('hex'));
    assert.equal(second!.prevHash, first!.hash);
    assert.equal(recordHash({ ...body, data: { i: 0 }, ruleIds: ['R1'] }), hash, 'key order does not matter');
  });

  it('assembles the same canonical text as RFC 8785 canonicalize, for awkward strings and every optional field', () => {
    const odd = ['é😀', '\u0000\u001f"\\', '\ud800 lone', '\u2028', 'Z', 'a'];
    for (const s of odd) {
      const body = { seq: 7, time: s, kind: 'decision', tenant: s, principal: s, action: s, effect: s, ruleIds: [s, 'R'], data: { [s]: s, n: 1.5, e: 1e21 }, prevHash: GENESIS_HASH };
      const want = canonicalize(hashedBody(body));
      assert.equal(canonicalBody(body), want);
      assert.equal(canonicalBody(body, canonicalize(body.data)), want);
    }
  });

  it('continues from a head: seqs and links pick up where the chain left off', () => {
    const head = { seq: 41, hash: 'ab'.repeat(32) };
    const next = extendChain(head, prepareAuditInputs([{ kind: 'auth', data: {} }, { kind: 'auth', data: {} }], NOW));
    assert.deepEqual(next.map((r) => [r.seq, r.prevHash]), [[42, head.hash], [43, next[0]!.hash]]);
    assert.deepEqual(verifyChain(next, { after: head }).ok, true);
    assert.equal(verifyChain(next).firstBadSeq, 1, 'without the anchor the log must start at seq 1');
  });

  it('refuses records JSON cannot carry', () => {
    for (const bad of [{ kind: 'decision', data: { f: () => 1 } }, { kind: 'decision', data: { n: Number.NaN } }, { kind: '', data: {} }]) {
      assert.throws(() => prepareAuditInputs([bad as never], NOW), InvalidInputError);
    }
  });

  it('verifies an untouched chain, also page by page', () => {
    const records = chain(10);
    assert.deepEqual(verifyChain(records), { ok: true, checked: 10, head: { seq: 10, hash: records[9]!.hash } });
    const v = new ChainVerifier({ checkpoint: records[9]! });
    assert.equal(v.push(records.slice(0, 4)), undefined);
    assert.equal(v.push(records.slice(4)), undefined);
    assert.equal(v.finish().ok, true);
    assert.deepEqual(verifyChain([]), { ok: true, checked: 0, head: EMPTY_HEAD });
  });
});

describe('tampering is detected at the first bad position', () => {
  it('an edited field (hash left alone)', () => {
    const records = chain(10);
    records[4] = { ...records[4]!, effect: 'warn' };
    const v = verifyChain(records);
    assert.deepEqual([v.ok, v.firstBadSeq, v.index, v.checked], [false, 5, 4, 4]);
    assert.match(v.reason!, /modified/);
  });

  it('an edited field in data, even nested', () => {
    const records = chain(10);
    records[6] = { ...records[6]!, data: { i: 6, extra: true } };
    assert.equal(verifyChain(records).firstBadSeq, 7);
  });

  it('an edited record whose own hash was recomputed: the next link breaks', () => {
    const records = chain(10);
    records[2] = rehash({ ...records[2]!, effect: 'warn' });
    const v = verifyChain(records);
    assert.equal(v.firstBadSeq, 4);
    assert.match(v.reason!, /prevHash does not match the hash of seq 3/);
  });

  it('a deleted record', () => {
    const records = chain(10);
    records.splice(3, 1);
    const v = verifyChain(records);
    assert.deepEqual([v.firstBadSeq, v.index], [4, 3]);
    assert.match(v.reason!, /missing/);
  });

  it('a deleted record with the rest renumbered', () => {
    const records = chain(10);
    records.splice(3, 1);
    for (let i = 3; i < records.length; i++) records[i] = { ...records[i]!, seq: i + 1 };
    assert.equal(verifyChain(records).firstBadSeq, 4);
  });

  it('an inserted record, even one correctly hashed onto its predecessor', () => {
    const records = chain(10);
    const forged = rehash({ seq: 6, time: NOW.toISOString(), kind: 'decision', effect: 'allow', data: { forged: true }, prevHash: records[4]!.hash });
    records.splice(5, 0, forged);
    const v = verifyChain(records);
    assert.deepEqual([v.firstBadSeq, v.index], [7, 6], 'the forged seq 6 links fine; the original seq 6 after it cannot');
    assert.match(v.reason!, /repeated or moved/);
  });

  it('an inserted record with the rest renumbered', () => {
    const records = chain(10);
    const forged = rehash({ seq: 6, time: NOW.toISOString(), kind: 'decision', data: {}, prevHash: records[4]!.hash });
    records.splice(5, 0, forged);
    for (let i = 6; i < records.length; i++) records[i] = { ...records[i]!, seq: i + 1 };
    const v = verifyChain(records);
    assert.equal(v.firstBadSeq, 7);
  });

  it('two records swapped', () => {
    const records = chain(10);
    [records[3], records[4]] = [records[4]!, records[3]!];
    const v = verifyChain(records);
    assert.deepEqual([v.firstBadSeq, v.index], [4, 3]);
  });

  it('two records swapped with their seqs swapped back', () => {
    const records = chain(10);
    const [a, b] = [records[3]!, records[4]!];
    records[3] = { ...b, seq: 4 };
    records[4] = { ...a, seq: 5 };
    assert.equal(verifyChain(records).firstBadSeq, 4);
  });

  it('a truncated tail after a checkpoint', () => {
    const records = chain(10);
    const checkpoint = { seq: 8, hash: records[7]!.hash };
    assert.equal(verifyChain(records, { checkpoint }).ok, true);
    const cut = records.slice(0, 6);
    assert.equal(verifyChain(cut).ok, true, 'a cut tail alone leaves a valid chain: this is what checkpoints are for');
    const v = verifyChain(cut, { checkpoint });
    assert.deepEqual([v.ok, v.firstBadSeq, v.checked], [false, 7, 6]);
    assert.match(v.reason!, /truncated/);
  });

  it('a rewritten history that is internally consistent but disagrees with the checkpoint', () => {
    const records = chain(10);
    const checkpoint = { seq: 8, hash: records[7]!.hash };
    const rewritten = extendChain(EMPTY_HEAD, prepareAuditInputs(records.map((r) => ({ ...r, data: { ...r.data, rewritten: true } })), NOW));
    assert.equal(verifyChain(rewritten).ok, true);
    const v = verifyChain(rewritten, { checkpoint });
    assert.equal(v.firstBadSeq, 8);
    assert.match(v.reason!, /checkpoint/);
  });

  it('a record replaced by junk', () => {
    const records: unknown[] = chain(5);
    records[2] = { seq: 3, data: 'x' };
    const v = verifyChain(records as AuditRecord[]);
    assert.equal(v.firstBadSeq, 3);
  });
});

describe('canonical JSON', () => {
  const canonicalize = canonicalizeModule as unknown as (v: unknown) => string | undefined;

  /** A random plain JSON value (seeded, so a failure repeats). */
  function randomValue(rand: () => number, depth = 0): unknown {
    const r = rand();
    if (depth > 3 || r < 0.35) {
      const k = Math.floor(rand() * 6);
      if (k === 0) return null;
      if (k === 1) return rand() < 0.5;
      if (k === 2) return Math.round((rand() - 0.5) * 1e6) / 100;
      if (k === 3) return Number.MAX_SAFE_INTEGER * rand();
      return ['', 'a', 'ü', '\u2028', '"q"', '\ud83d\ude00', 'é\u0000x', 'Z'][Math.floor(rand() * 8)];
    }
    if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rand() * 5); i > 0; i--) o[['b', 'a', 'B', 'é', '10', '9', 'a b', '\ud83d\ude00'][Math.floor(rand() * 8)]!] = randomValue(rand, depth + 1);
    return o;
  }

  it('writes exactly what canonicalize writes, for 2,000 random plain values', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const v = randomValue(rand);
      assert.equal(canonicalBody({ seq: 1, time: 't', kind: 'k', data: { v } as Record<string, unknown>, prevHash: GENESIS_HASH }), `{"data":${canonicalize({ v })},"kind":"k","prevHash":"${GENESIS_HASH}","seq":1,"time":"t"}`);
    }
  });

  it('normalizes what is not plain JSON as before (toJSON, undefined, -0) and refuses what JSON cannot carry', () => {
    const [p] = prepareAuditInputs([{ kind: 'decision', data: { at: new Date(0), gone: undefined, z: -0, list: [undefined] } }], new Date(0));
    assert.equal(p!.dataJson, '{"at":"1970-01-01T00:00:00.000Z","list":[null],"z":0}');
    assert.deepEqual(p!.data, { at: '1970-01-01T00:00:00.000Z', list: [null], z: 0 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [{ f: () => 1 }, { n: NaN }, { i: Infinity }, { b: 1n }, cyclic, [() => 1]]) {
      assert.throws(() => prepareAuditInputs([{ kind: 'decision', data: { bad } }], new Date(0)), InvalidInputError);
    }
  });
});
