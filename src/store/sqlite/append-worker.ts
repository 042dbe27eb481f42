/**
 * Child process for the multi-process test: appends `batches` batches of `size` records to the SQLite
 * file given, then prints how many it appended. Run by sqlite.test.ts, never imported.
 */
import { SqliteStore } from './sqlite-store.js';

const [path, tag, batches, size] = process.argv.slice(2);
const store = new SqliteStore({ path: path! });
let appended = 0;
for (let b = 0; b < Number(batches); b++) {
  const batch = await store.appendAudit(Array.from({ length: Number(size) }, (_, j) => ({ kind: 'decision', principal: tag!, data: { tag, b, j } })));
  appended += batch.length;
}
await store.close();
process.stdout.write(String(appended));
