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

describe('GroupCommitter with writes in flight', () => {
  it('hands over the next batch before the previous one committed, still acknowledging each record only once it is written', async () => {
    let inFlight = 0;
    let overlapped = false;
    const durable = new Set<number>();
    const calls: number[][] = [];
    const gc = new GroupCommitter<number, number>(
      async (batch) => {
        calls.push(batch);
        inFlight++;
        overlapped ||= inFlight > 1;
        await new Promise((r) => setTimeout(r, 4));
        batch.forEach((x) => durable.add(x));
        inFlight--;
        return batch;
      },
      { gatherMs: 0, maxInFlight: 2 },
    );
    let next = 0;
    const client = async () => {
      while (next < 400) {
        const i = next++;
        assert.equal(await gc.submit(i), i);
        assert.ok(durable.has(i), `record ${i} acknowledged before it was durable`);
        await new Promise((r) => setTimeout(r, i % 3)); // clients out of step, as requests are
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    await gc.close();
    assert.ok(overlapped, 'two writes were in flight at once');
    assert.ok(Math.max(...calls.map((c) => c.length)) <= 16);
    assert.deepEqual(calls.flat().sort((a, b) => a - b), Array.from({ length: 400 }, (_, i) => i), 'every record written exactly once');
    assert.ok(calls.length < 200, `batches still form (${calls.length} writes for 400 records)`);
  });
});
