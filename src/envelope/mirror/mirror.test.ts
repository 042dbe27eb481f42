import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempHome } from '../../../test/helpers.js';
import { BodyCapture } from './capture.js';
import { JsonlFileSink } from './jsonl-sink.js';
import { createMirror, REDACTED } from './mirror.js';
import type { MirrorEvent, MirrorSink } from './types.js';

const event = (i: number, extra: Partial<MirrorEvent> = {}): MirrorEvent => ({
  time: new Date(0).toISOString(), direction: 'egress', kind: 'http', method: 'GET', host: 'api.test', port: 443, path: `/r/${i}`, durationMs: 1, ...extra,
});

describe('mirror queue', () => {
  it('never blocks: with a stuck sink, offers beyond the bound are dropped and counted', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: MirrorEvent[] = [];
    const stuck: MirrorSink = { name: 'stuck', write: async (b) => (await gate, void got.push(...b)) };
    const m = createMirror({ sinks: [stuck], queueSize: 10, batchSize: 5 });
    m.offer(event(0));
    await new Promise((r) => setImmediate(r)); // the drain takes one batch and waits on the sink
    const t0 = process.hrtime.bigint();
    const accepted = Array.from({ length: 100 }, (_, i) => m.offer(event(i + 1))).filter(Boolean).length;
    const micros = Number(process.hrtime.bigint() - t0) / 1000;
    assert.equal(accepted, 10, 'exactly the queue bound is accepted');
    assert.equal(m.stats().dropped, 90);
    assert.ok(micros < 50_000, `100 offers took ${micros} µs`);
    release();
    await m.flush();
    assert.equal(got.length, 11);
    assert.deepEqual(m.stats(), { offered: 101, dropped: 90, delivered: 11, sinkErrors: 0, queued: 0 });
  });

  it('a failing sink is counted and does not stop delivery to the others', async () => {
    const got: MirrorEvent[] = [];
    const errors: string[] = [];
    const m = createMirror({
      sinks: [{ name: 'broken', write: async () => { throw new Error('down'); } }, { name: 'ok', write: async (b) => void got.push(...b) }],
      onSinkError: (name) => errors.push(name),
    });
    for (let i = 0; i < 3; i++) m.offer(event(i));
    await m.flush();
    assert.equal(got.length, 3);
    assert.equal(m.stats().sinkErrors, 1);
    assert.deepEqual(errors, ['broken']);
  });

  it('redacts credentials before any sink sees them', async () => {
    const got: MirrorEvent[] = [];
    const m = createMirror({ sinks: [{ name: 'x', write: async (b) => void got.push(...b) }] });
    const original = event(1, { requestHeaders: { authorization: 'Bearer s3cret', accept: '*/*' }, responseHeaders: { 'set-cookie': ['a=1'] } });
    m.offer(original);
    await m.flush();
    assert.deepEqual(got[0]!.requestHeaders, { authorization: REDACTED, accept: '*/*' });
    assert.deepEqual(got[0]!.responseHeaders, { 'set-cookie': REDACTED });
    assert.equal(original.requestHeaders!.authorization, 'Bearer s3cret', "the caller's object is not mutated");
  });

  it('drops offers after close', async () => {
    const m = createMirror({ sinks: [] });
    await m.close();
    assert.equal(m.offer(event(1)), false);
    assert.equal(m.stats().dropped, 1);
  });

  it('validates its settings', () => {
    assert.throws(() => createMirror({ sinks: [], queueSize: 0 }), /queueSize/);
    assert.throws(() => createMirror({ sinks: [], bodyLimit: -1 }), /bodyLimit/);
  });
});

describe('body capture', () => {
  it('keeps a prefix up to the limit and counts the full size', () => {
    const c = new BodyCapture(5);
    c.add(Buffer.from('abc'));
    c.add('defgh');
    assert.deepEqual(c.body(), { size: 8, truncated: true, base64: Buffer.from('abcde').toString('base64') });
    assert.equal(new BodyCapture(0).body(), undefined);
  });
});

describe('JSON-lines file sink', () => {
  const home = tempHome('esq-mirror-');
  after(home.cleanup);
  it('appends one JSON object per line to a 0600 file', async () => {
    const path = join(home.dir, 'mirror', 'egress.jsonl');
    const m = createMirror({ sinks: [new JsonlFileSink(path)], batchSize: 2 });
    for (let i = 0; i < 5; i++) m.offer(event(i));
    await m.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as MirrorEvent).path), ['/r/0', '/r/1', '/r/2', '/r/3', '/r/4']);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});
