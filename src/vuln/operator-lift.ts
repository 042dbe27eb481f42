/**
 * `esq scan SERVICE --lift`: an operator asks to put a cordoned service back in traffic. The lift
 * goes through the same approval as the scanner's own (the engine defers it); running the command
 * again once the request is approved uses the approval and lifts.
 */
import type { QuarantineGate } from './quarantine-gate.js';
import type { QuarantineRecords } from './quarantine.js';

export type OperatorLift =
  | { status: 'not-cordoned'; message: string }
  | { status: 'lifted'; message: string }
  | { status: 'pending'; approvalId: string; message: string }
  | { status: 'refused'; message: string };

export async function operatorLift(q: { service: string; records: QuarantineRecords; gate: QuarantineGate; now?: () => Date }): Promise<OperatorLift> {
  const now = q.now ?? (() => new Date());
  const entry = q.records.entry(q.service);
  if (!entry) return { status: 'not-cordoned', message: `${q.service} is not quarantined` };
  if (entry.lift) {
    const out = await q.gate.completeLift(entry.lift);
    if (out.status === 'lifted') {
      await q.records.lift(q.service);
      return { status: 'lifted', message: `${q.service} quarantine lifted (${out.reason})` };
    }
    if (out.status === 'pending') {
      return { status: 'pending', approvalId: entry.lift.approvalId, message: `${q.service} stays cordoned: approval ${entry.lift.approvalId} is still pending; run this again once it is approved` };
    }
    q.records.amend(q.service, { lift: undefined }); // denied, expired or unusable: ask anew below
  }
  const req = await q.gate.requestLift({ advisories: entry.findings.map((f) => f.id), trigger: 'operator' });
  if (req.status === 'approved') {
    await q.records.lift(q.service);
    return { status: 'lifted', message: `${q.service} quarantine lifted (${req.reason})` };
  }
  if (req.status === 'pending') {
    q.records.amend(q.service, { lift: req.lift, liftDenied: undefined });
    return {
      status: 'pending',
      approvalId: req.lift.approvalId,
      message: `${q.service} stays cordoned until the lift is approved: approval ${req.lift.approvalId} needs ${req.required} approver${req.required === 1 ? '' : 's'}; run this again once it is approved`,
    };
  }
  q.records.amend(q.service, { liftDenied: { at: now().toISOString(), reason: req.reason } });
  return { status: 'refused', message: `${q.service} stays cordoned: the lift was refused (${req.reason})` };
}
