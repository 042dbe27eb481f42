import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { parseEnvelopeConfig } from '../config/load.js';
import { renderK8sManifests, SIDECAR_UID } from './k8s.js';

type Obj = Record<string, any>;

describe('esq wrap --emit k8s', () => {
  const cfg = parseEnvelopeConfig(
    'service: lunch-subsidy-svc\nclassification: pii-high\noutboundAllowList: ["ledger.hms.local", "irs.gov:443", "10.0.0.7:5432"]\nallowedCallers: ["spiffe://esq.local/ns/default/sa/frontend"]\n',
    'hms-sec.yml',
  );
  const text = renderK8sManifests(cfg, { image: 'registry.local/lunch:1.4', command: ['node', 'server.js'], sidecarImage: 'esq/sidecar:0.1.0' });
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Obj);
  const byKind = (k: string) => docs.find((d) => d.kind === k)!;

  it('emits a ConfigMap, Deployment, Service and NetworkPolicy that parse as YAML', () => {
    assert.deepEqual(docs.map((d) => d.kind), ['ConfigMap', 'Deployment', 'Service', 'NetworkPolicy']);
    assert.match(text, /^# ESQ security envelope for lunch-subsidy-svc/);
  });

  it('the sidecar envelope file inside the pod loads with the same guardrails', () => {
    const inner = parseEnvelopeConfig(byKind('ConfigMap').data['esq-sec.yml'], 'pod.yml');
    assert.deepEqual(inner.outboundAllowList.map((e) => e.raw), ['ledger.hms.local', 'irs.gov:443', '10.0.0.7:5432']);
    assert.deepEqual(inner.upstream, { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(inner.allowedCallers, cfg.allowedCallers);
    assert.equal(inner.identity.certTtlMs, cfg.identity.certTtlMs);
  });

  it('runs the service beside the sidecar, with egress pointed at it and only the sidecar UID allowed out', () => {
    const pod = byKind('Deployment').spec.template.spec;
    const [app, sidecar] = pod.containers as Obj[];
    assert.equal(app!.image, 'registry.local/lunch:1.4');
    assert.deepEqual(app!.command, ['node', 'server.js']);
    assert.equal(app!.env.find((e: Obj) => e.name === 'HTTPS_PROXY').value, 'http://127.0.0.1:15001');
    assert.deepEqual(sidecar!.args, ['wrap', 'lunch-subsidy-svc', '--config', '/etc/esq/esq-sec.yml']);
    assert.equal(sidecar!.securityContext.runAsUser, SIDECAR_UID);
    assert.notEqual(app!.securityContext.runAsUser, SIDECAR_UID);
    const script = pod.initContainers[0].command[2] as string;
    assert.match(script, new RegExp(`--uid-owner ${SIDECAR_UID} -j ACCEPT`));
    assert.match(script, /iptables -A OUTPUT -j REJECT/);
  });

  it('hands the service its vault grant through an in-memory folder both containers share, and carries the mirror', () => {
    const c2 = parseEnvelopeConfig('service: vaulted\nclassification: phi\nsecrets: { allow: ["banking/*"] }\nmirror: { jsonl: /home/op/mirror.jsonl, bodies: true }\n', 'v.yml');
    const d2 = parseAllDocuments(renderK8sManifests(c2, { image: 'i', sidecarImage: 's' })).map((d) => d.toJS() as Obj);
    const pod = d2.find((d) => d.kind === 'Deployment')!.spec.template.spec;
    const [app, sidecar] = pod.containers as Obj[];
    const env = (c: Obj, n: string) => c.env.find((e: Obj) => e.name === n)?.value;
    assert.equal(env(sidecar!, 'ESQ_VAULT_SHARE_DIR'), '/var/run/esq-vault');
    assert.equal(env(app!, 'ESQ_VAULT_SOCKET'), '/var/run/esq-vault/vault.sock');
    assert.equal(env(app!, 'ESQ_VAULT_TOKEN_FILE'), '/var/run/esq-vault/token');
    assert.equal(env(app!, 'ESQ_VAULT_TOKEN'), undefined, 'no token in the pod spec');
    assert.deepEqual(pod.volumes.find((v: Obj) => v.name === 'esq-vault').emptyDir.medium, 'Memory');
    assert.equal(app!.volumeMounts.find((m: Obj) => m.name === 'esq-vault').readOnly, true);
    assert.equal(pod.securityContext.fsGroup, SIDECAR_UID);
    const inner = parseEnvelopeConfig(d2.find((d) => d.kind === 'ConfigMap')!.data['esq-sec.yml'], 'pod.yml');
    assert.deepEqual(inner.secrets.allow, ['banking/*']);
    assert.deepEqual(inner.mirror, { jsonl: '/var/lib/esq/mirror.jsonl', bodyLimit: c2.mirror!.bodyLimit, queueSize: c2.mirror!.queueSize });
  });

  it('exposes only the mTLS port and limits egress to DNS, listed IPs and listed ports', () => {
    const svc = byKind('Service');
    assert.deepEqual(svc.spec.ports, [{ name: 'https-mtls', port: 443, targetPort: 'https-mtls', protocol: 'TCP' }]);
    const np = byKind('NetworkPolicy').spec;
    assert.deepEqual(np.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(np.ingress, [{ ports: [{ protocol: 'TCP', port: 8443 }] }]);
    assert.deepEqual(np.egress[1], { to: [{ ipBlock: { cidr: '10.0.0.7/32' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    // ledger.hms.local has no port: any port to the internet, names enforced by the sidecar.
    assert.equal(np.egress[2].ports, undefined);
    const strict = renderK8sManifests(parseEnvelopeConfig('service: s\noutboundAllowList: ["irs.gov:443"]\n', 'x'), { image: 'i', sidecarImage: 'e' });
    const sp = (parseAllDocuments(strict)[3]!.toJS() as Obj).spec;
    assert.deepEqual(sp.egress[1].ports, [{ protocol: 'TCP', port: 443 }]);
    const none = renderK8sManifests(parseEnvelopeConfig('service: s\n', 'x'), { image: 'i', sidecarImage: 'e' });
    assert.equal((parseAllDocuments(none)[3]!.toJS() as Obj).spec.egress.length, 1, 'DNS only');
  });
});
