import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { book, FIXED_NOW, packOf, tempHome } from '../../test/helpers.js';
import { FileIncidentSink } from '../audit/file-incident-sink.js';
import { MemoryIncidentSink } from '../audit/memory-incident-sink.js';
import { INCIDENT_ID_PATTERN } from '../audit/incident-id.js';
import { createGovernor } from '../esq.js';
import { ApprovalRequired, PolicyViolation } from '../errors.js';
import { guarded } from './decorator.js';
import { guard } from './guard.js';
import { paramNames } from './param-names.js';

const home = tempHome();
after(home.cleanup);

const policy = packOf([
  book('statute', [
    { id: 'HIPAA-SC-12', when: 'action.name.startsWith("export") && !action.dest.startsWith("s3://hipaa_zone/")', effect: 'block', message: 'PHI to public bucket' },
    { id: 'DEL', when: 'action.name == "delete_phi"', effect: 'defer', message: 'needs approval' },
    { id: 'W', when: 'action.name == "bulk_phi"', effect: 'warn' },
  ]),
]);

function governor(sink = new MemoryIncidentSink(), env: 'prod' | 'sandbox' = 'prod') {
  return { sink, gov: createGovernor({ policy, env, home: home.dir, incidents: sink, clock: () => FIXED_NOW }) };
}

describe('guard() on sync functions', () => {
  it('runs an allowed call and returns its result synchronously', () => {
    const { gov } = governor();
    let ran = 0;
    const exportPhi = guard(function export_phi(file: string, dest: string) {
      ran++;
      return `${file}->${dest}`;
    }, { governor: gov });
    const r = exportPhi('patient_007.pdf', 's3://hipaa_zone/reports');
    assert.equal(r, 'patient_007.pdf->s3://hipaa_zone/reports', 'a sync function stays sync');
    assert.equal(ran, 1);
  });

  it('never runs a blocked call, throws PolicyViolation and files an incident', () => {
    const { gov, sink } = governor();
    let ran = 0;
    const exportPhi = guard(function export_phi(file: string, dest: string) {
      ran++;
      return [file, dest];
    }, { governor: gov });
    assert.throws(
      () => exportPhi('patient_007.pdf', 's3://public_dump'),
      (e: unknown) => e instanceof PolicyViolation && e.ruleId === 'HIPAA-SC-12' && INCIDENT_ID_PATTERN.test(e.incidentId ?? '') && /PHI to public bucket/.test(e.reason),
    );
    assert.equal(ran, 0, 'the kill switch: the function never ran');
    assert.equal(sink.incidents.length, 1);
    const inc = sink.incidents[0]!;
    assert.equal(inc.action, 'export_phi');
    assert.equal(inc.ruleId, 'HIPAA-SC-12');
    assert.deepEqual(Object.keys(inc.argHashes).sort(), ['dest', 'file'], 'arguments are named from the function');
  });

  it("returns null with onBlock: 'null', as the seed's decorator does, and still files the incident", () => {
    const { gov, sink } = governor();
    const f = guard((file: string, dest: string) => `${file}${dest}`, { governor: gov, action: 'export_phi', onBlock: 'null' });
    assert.equal(f('a', 's3://public'), null);
    assert.equal(f('a', 's3://hipaa_zone/x'), 'as3://hipaa_zone/x');
    assert.equal(sink.incidents.length, 1);
  });

  it('treats defer as a refusal with ApprovalRequired, and warn as allowed', () => {
    const { gov, sink } = governor();
    const del = guard(function delete_phi(_id: string) {
      return 'deleted';
    }, { governor: gov });
    assert.throws(() => del('x'), (e: unknown) => e instanceof ApprovalRequired && e.ruleId === 'DEL' && /approval required/.test(e.message));
    assert.equal(sink.incidents.length, 0, 'a deferral is not an incident');
    const bulk = guard(function bulk_phi(dest: string) {
      return dest;
    }, { governor: gov });
    assert.equal(bulk('s3://hipaa_zone/a'), 's3://hipaa_zone/a');
  });

  it('maps arguments to action fields and keeps `this`', () => {
    const { gov } = governor();
    const seen: unknown[] = [];
    const obj = {
      prefix: 'p:',
      send: guard(function send(this: { prefix: string }, to: string, body: { text: string }) {
        return this.prefix + to + body.text;
      }, {
        governor: gov,
        dest: 'to',
        content: (_to, body) => body.text,
        tenant: () => 'tenant-a',
        principal: { id: 'agent-7', roles: ['ai-agent'] },
        data: { classification: 'pii' },
        onDecision: (_d, a) => seen.push(a),
      }),
    };
    assert.equal(obj.send('mailto:x@y.z', { text: 'hi' }), 'p:mailto:x@y.zhi');
    assert.deepEqual(seen[0], {
      name: 'send',
      args: { to: 'mailto:x@y.z', body: { text: 'hi' } },
      dest: 'mailto:x@y.z',
      content: 'hi',
      tenant: 'tenant-a',
      principal: { id: 'agent-7', roles: ['ai-agent'] },
      data: { classification: 'pii' },
    });
  });
});

describe('guard() on async functions', () => {
  it('resolves allowed calls and rejects blocked ones without running them', async () => {
    const { gov } = governor();
    let ran = 0;
    const exportPhi = guard(async function export_phi(file: string, dest: string) {
      ran++;
      return `${file}->${dest}`;
    }, { governor: gov });
    assert.equal(await exportPhi('f', 's3://hipaa_zone/x'), 'f->s3://hipaa_zone/x');
    const p = exportPhi('f', 's3://public');
    assert.ok(p instanceof Promise, 'an async function reports refusal as a rejection, not a sync throw');
    await assert.rejects(p, PolicyViolation);
    assert.equal(ran, 1);
  });
});

describe('@guarded decorator', () => {
  const { gov, sink } = governor();
  class Exporter {
    count = 0;
    @guarded({ governor: gov, action: 'export_phi' })
    exportPhi(file: string, dest: string): string {
      this.count++;
      return `${file}->${dest}`;
    }
    @guarded({ governor: gov })
    async delete_phi(id: string): Promise<string> {
      this.count++;
      return id;
    }
    @guarded({ governor: gov, action: 'export_phi' })
    async exportAsync(dest: string): Promise<string> {
      this.count++;
      return dest;
    }
  }

  it('guards sync methods', () => {
    const e = new Exporter();
    assert.equal(e.exportPhi('a', 's3://hipaa_zone/r'), 'a->s3://hipaa_zone/r');
    assert.throws(() => e.exportPhi('a', 's3://public'), PolicyViolation);
    assert.equal(e.count, 1);
    assert.ok(sink.incidents.some((i) => i.action === 'export_phi'));
  });

  it('guards async methods, using the method name as the action', async () => {
    const e = new Exporter();
    await assert.rejects(e.delete_phi('x'), ApprovalRequired);
    assert.equal(await e.exportAsync('s3://hipaa_zone/y'), 's3://hipaa_zone/y');
    await assert.rejects(e.exportAsync('s3://public'), PolicyViolation);
    assert.equal(e.count, 1);
  });
});

describe('bypass through the hook', () => {
  it('is honoured in sandbox and is a violation with an incident elsewhere', () => {
    const sandbox = governor(new MemoryIncidentSink(), 'sandbox');
    const f = guard(function export_phi(dest: string) {
      return dest;
    }, { governor: sandbox.gov, bypass: true });
    assert.equal(f('s3://public'), 's3://public');
    assert.equal(sandbox.sink.incidents.length, 0);

    const prod = governor();
    const g = guard(function export_phi(dest: string) {
      return dest;
    }, { governor: prod.gov, bypass: true });
    assert.throws(() => g('s3://hipaa_zone/ok'), (e: unknown) => e instanceof PolicyViolation && e.ruleId === 'ESQ-BYPASS');
    assert.equal(prod.sink.incidents[0]?.ruleId, 'ESQ-BYPASS');
  });

  it('reads ESQ_BYPASS=1 from the deployment', () => {
    process.env.ESQ_BYPASS = '1';
    try {
      const sink = new MemoryIncidentSink();
      const gov = createGovernor({ policy, env: 'stage', home: home.dir, incidents: sink });
      const f = guard(function noop_read() {
        return 1;
      }, { governor: gov });
      assert.throws(() => f(), /ESQ-BYPASS/);
    } finally {
      delete process.env.ESQ_BYPASS;
    }
  });
});

describe('incidents from the hook', () => {
  it('are written atomically to files and hold hashes, never raw argument values', () => {
    const sink = new FileIncidentSink(`${home.dir}/incidents`);
    const { gov } = governor(sink as unknown as MemoryIncidentSink);
    const secret = { ssn: '078-05-1120', name: 'Jane Q. Patient' };
    const exportPhi = guard(function export_phi(record: object, dest: string) {
      return [record, dest];
    }, { governor: gov, principal: { id: 'agent-7' }, tenant: () => 'va' });
    let id = '';
    try {
      exportPhi(secret, 's3://public_dump/leak.csv');
    } catch (e) {
      id = (e as PolicyViolation).incidentId!;
    }
    const text = readFileSync(sink.pathOf(id), 'utf8');
    for (const raw of ['078-05-1120', 'Jane Q. Patient', 'public_dump', 'leak.csv']) assert.ok(!text.includes(raw), `raw value ${raw} leaked`);
    const inc = JSON.parse(text);
    assert.equal(inc.id, id);
    assert.equal(inc.caller.principal, 'agent-7');
    assert.equal(inc.caller.tenant, 'va');
    assert.equal(inc.caller.pid, process.pid);
    assert.match(inc.argHashes.record, /^hmac-sha256:[0-9a-f]{64}$/);
    assert.equal(inc.time, FIXED_NOW.toISOString());
  });
});

describe('paramNames', () => {
  it('reads parameter names of the usual function forms', () => {
    assert.deepEqual(paramNames(function f(a: number, b = 2) {
      return a + b;
    }), ['a', 'b']);
    assert.deepEqual(paramNames((x: number) => x), ['x']);
    assert.deepEqual(paramNames(async (file: string, /* c */ dest: string) => file + dest), ['file', 'dest']);
    assert.deepEqual(paramNames(({ a }: { a: number }, ...rest: number[]) => a + rest.length), ['arg0', 'rest']);
    class K {
      m(p: string, q = { x: [1, 2] }) {
        return p + String(q);
      }
    }
    assert.deepEqual(paramNames(K.prototype.m), ['p', 'q']);
  });
});

describe('scrub through the hook', () => {
  const scrubPolicy = packOf([book('statute', [{ id: 'LLM-SCRUB', when: 'action.name.startsWith("llm.") && findings.hasEntity("US_SSN")', effect: 'scrub', message: 'PHI in prompt' }])]);
  const ssnAt = (text: string) => [{ entity: 'US_SSN', start: text.indexOf('078'), end: text.indexOf('078') + 11, score: 0.9, detector: 'test' }];

  it('passes the scrubbed content to the function in place of the original', () => {
    const gov = createGovernor({ policy: scrubPolicy, env: 'prod', home: home.dir, incidents: new MemoryIncidentSink() });
    const seen: string[] = [];
    const chat = guard(function chat(prompt: string) {
      seen.push(prompt);
      return prompt.length;
    }, { governor: gov, action: 'llm.chat', content: 'prompt', findings: (p) => ssnAt(p) });
    chat('Patient SSN 078-05-1121 has a question');
    assert.deepEqual(seen, ['Patient SSN <US_SSN> has a question']);
  });

  it('refuses rather than send unscrubbed content it cannot substitute', () => {
    const gov = createGovernor({ policy: scrubPolicy, env: 'prod', home: home.dir, incidents: new MemoryIncidentSink() });
    let ran = false;
    const chat = guard(function chat(req: { prompt: string }) {
      ran = true;
      return req;
    }, { governor: gov, action: 'llm.chat', content: (r) => r.prompt, findings: (r) => ssnAt(r.prompt) });
    assert.throws(() => chat({ prompt: 'SSN 078-05-1121' }), /cannot be scrubbed.*content: '<parameter name>'/);
    assert.equal(ran, false);
  });
});
