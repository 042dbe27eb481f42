/**
 * The OSV API (api.osv.dev) as an optional second source, used only when reachable. The HTTP
 * call is injected so tests never touch the network; any failure degrades to the local data
 * with a message, never to a CLEAN answer.
 */
import type { Package } from '../types.js';
import { osvIdentity } from './match.js';
import { validateOsv, type OsvRecord } from './types.js';

export interface FetchResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type Fetcher = (url: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<FetchResponse>;

export class OnlineUnavailable extends Error {}

export interface OsvApiOptions {
  fetch: Fetcher;
  baseUrl?: string;
  timeoutMs?: number;
}

const BATCH = 1000;

export class OsvApi {
  private readonly fetch: Fetcher;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(o: OsvApiOptions) {
    this.fetch = o.fetch;
    this.base = (o.baseUrl ?? 'https://api.osv.dev').replace(/\/$/, '');
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  private async call(path: string, body?: unknown): Promise<unknown> {
    const url = `${this.base}${path}`;
    let res: FetchResponse;
    try {
      const init: Parameters<Fetcher>[1] = { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) };
      if (body !== undefined) init.body = JSON.stringify(body);
      res = await this.fetch(url, init);
    } catch (e) {
      throw new OnlineUnavailable(`${url}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new OnlineUnavailable(`${url}: HTTP ${res.status}`);
    try {
      return await res.json();
    } catch (e) {
      throw new OnlineUnavailable(`${url}: unreadable answer (${(e as Error).message})`);
    }
  }

  /** Full records of every advisory the API lists for these packages. */
  async query(packages: Package[]): Promise<OsvRecord[]> {
    const ids = new Set<string>();
    for (let i = 0; i < packages.length; i += BATCH) {
      const chunk = packages.slice(i, i + BATCH);
      const queries = chunk.map((p) => {
        const id = osvIdentity(p);
        return { package: { ecosystem: p.ecosystem, name: id.name }, version: id.version };
      });
      const out = (await this.call('/v1/querybatch', { queries })) as { results?: Array<{ vulns?: Array<{ id?: unknown }> }> };
      for (const r of out.results ?? []) for (const v of r.vulns ?? []) if (typeof v.id === 'string') ids.add(v.id);
    }
    const records: OsvRecord[] = [];
    for (const id of [...ids].sort()) {
      const doc = await this.call(`/v1/vulns/${encodeURIComponent(id)}`);
      try {
        records.push(validateOsv(doc, `OSV API record ${id}`));
      } catch (e) {
        throw new OnlineUnavailable((e as Error).message);
      }
    }
    return records;
  }
}

/** The platform fetch, adapted; the CLI passes this, tests pass a fake. */
export const platformFetch: Fetcher = (url, init) => fetch(url, init);
