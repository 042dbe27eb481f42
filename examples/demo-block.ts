// demo-block.ts — the seed's 14-line example with ESQ's one-line hook.
// Run: npm run build && node dist/examples/demo-block.js   (policy: the built-in hipaa pack)
import { guard, guarded, PolicyViolation } from 'esq';

const exportPhi = guard(function export_phi(file: string, dest: string) { // 1-line governance hook
  console.log(`Exported ${file} to ${dest}`); // pretend we copy bytes
});

exportPhi('patient_007.pdf', 's3://hipaa_zone/reports'); // ✅ allowed
try {
  exportPhi('patient_007.pdf', 's3://public_dump'); // ❌ blocked: the function never runs
} catch (e) {
  if (!(e instanceof PolicyViolation)) throw e;
  console.log(`✖  BLOCKED by ESQ: ${e.reason}\n    Incident ID: ${e.incidentId}`);
}

// The same hook as a decorator on a method (TypeScript decorators apply to class members).
class RecordsService {
  @guarded({ action: 'export_phi', onBlock: 'null' }) // on block: log it and return null, as the seed does
  export(file: string, dest: string): string {
    return `copied ${file} to ${dest}`;
  }
}
const records = new RecordsService();
console.log(records.export('labs_2026.csv', 's3://hipaa_zone/labs')); // copied …
console.log(records.export('labs_2026.csv', 's3://public_dump')); // null
