/** Keeps the first `limit` bytes of a stream's chunks for a mirror copy, counting the rest. */
import type { MirrorBody } from './types.js';

export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  size = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer | string): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.size += b.length;
    if (this.kept >= this.limit) return;
    const take = b.subarray(0, this.limit - this.kept);
    this.chunks.push(Buffer.from(take)); // a copy: the stream may reuse its buffer
    this.kept += take.length;
  }

  body(): MirrorBody | undefined {
    if (this.limit <= 0) return undefined;
    return { size: this.size, truncated: this.size > this.kept, base64: Buffer.concat(this.chunks).toString('base64') };
  }
}
