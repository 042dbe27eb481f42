import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommitter } from './group-commit.js';

describe('GroupCommitter', () => {
  it('acknowledges each record only after its batch is written, batching concurrent submissions', async () => {
    const written: number[][] = [];
    let durable = new Set<number>();
    const gc = new GroupCommitter<number, string>(async (batch) => {
      await new Promise((r) => setTimeout(r, 5));
      written.push(batch);
      batch.forEach((x) => durable.add(x));
      return batch.map((x) => `ok${x}`);
    });
    const acks = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        gc.submit(i).then((r) => {
          assert.ok(durable.has(i), `record ${i} acknowledged before it was durable`);
          return r;
        }),
      ),
    );
    assert.deepEqual(acks, Array.from({ length: 100 }, (_, i) => `ok${i}`));
    assert.ok(written.length < 10, `100 concurrent records went out in ${written.length} writes`);
    assert.deepEqual(written.flat(), Array.from({ length: 100 }, (_, i) => i), 'order is kept');
    durable = new Set();
  });

  it('fails every record of a failed batch and keeps going', async () => {
    let fail = true;
    const gc = new GroupCommitter<number, number>(async (batch) => {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      return batch;
    });
    const first = gc.submit(1);
    await assert.rejects(first, /disk full/);
    assert.equal(await gc.submit(2), 2);
  });

  it('flushes on close and refuses new records afterwards', async () => {
    const seen: number[] = [];
    const gc = new GroupCommitter<number, number>(async (b) => (seen.push(...b), b));
    void gc.submit(1);
    void gc.submit(2);
    await gc.close();
    assert.deepEqual(seen, [1, 2]);
    await assert.rejects(gc.submit(3), /closed/);
  });
});
