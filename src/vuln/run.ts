/**
 * A scan end to end, as the CLI and the watch loop run it: read the target, open the local
 * database under ESQ_HOME (fresh each time, so a new import is seen), match, close.
 */
import { readInventory, type InventoryOptions } from './inventory/index.js';
import { VulnDb, defaultDbPath } from './osv/db.js';
import { OsvApi, type Fetcher } from './osv/online.js';
import { scan } from './scan.js';
import type { Inventory, ScanResult } from './types.js';

export interface ScanTargetOptions extends InventoryOptions {
  home: string;
  /** Database file; default `<home>/scanner/osv.db`. */
  dbPath?: string;
  /** Query the OSV API too, through this fetcher, when it answers. */
  onlineFetch?: Fetcher;
  onlineUrl?: string;
  maxAgeMs?: number;
  now?: () => Date;
}

export async function scanTarget(target: string, o: ScanTargetOptions): Promise<{ inventory: Inventory; result: ScanResult }> {
  const inventory = await readInventory(target, o);
  const db = VulnDb.openExisting(o.dbPath ?? defaultDbPath(o.home));
  try {
    const result = await scan(inventory, {
      ...(db ? { db } : {}),
      ...(o.onlineFetch ? { online: new OsvApi({ fetch: o.onlineFetch, ...(o.onlineUrl ? { baseUrl: o.onlineUrl } : {}) }) } : {}),
      ...(o.maxAgeMs !== undefined ? { maxAgeMs: o.maxAgeMs } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
    return { inventory, result };
  } finally {
    db?.close();
  }
}
