/**
 * `esq wrap --emit k8s`: the same envelope as Kubernetes objects. A pod's containers share one
 * network namespace, so a NetworkPolicy alone cannot tell the service from its sidecar; an init
 * container installs owner-match firewall rules (the Istio pattern) so only the sidecar's UID may
 * leave the pod, and the NetworkPolicy narrows what the pod as a whole may reach.
 */
import { isIP } from 'node:net';
import { Document } from 'yaml';
import type { EnvelopeConfig } from '../config/load.js';
import { formatDuration } from '../config/duration.js';

export interface K8sOptions {
  /** The service's image. */
  image: string;
  /** The service's command (`esq wrap … -- <command>`); the image's own when absent. */
  command?: string[];
  sidecarImage: string;
  /** Namespace for the objects; default: the config's identity namespace. */
  namespace?: string;
  /** Where the service listens inside the pod. */
  servicePort?: number;
}

export const SIDECAR_UID = 1337;
const SERVICE_UID = 1000;
const INGRESS_PORT = 8443;
const EGRESS_PROXY_PORT = 15001;
/** The in-memory folder the two containers share for the vault's socket and session token. */
const VAULT_SHARE = '/var/run/esq-vault';

/** The envelope file the sidecar reads inside the pod. */
function podEnvelope(cfg: EnvelopeConfig, servicePort: number): Record<string, unknown> {
  return {
    service: cfg.service,
    classification: cfg.classification,
    upstream: `127.0.0.1:${servicePort}`,
    listen: `0.0.0.0:${INGRESS_PORT}`,
    outboundAllowList: cfg.outboundAllowList.map((e) => e.raw),
    allowedCallers: cfg.allowedCallers,
    scannerInterval: formatDuration(cfg.scannerIntervalMs),
    identity: {
      trustDomain: cfg.identity.trustDomain,
      namespace: cfg.identity.namespace,
      certTtl: formatDuration(cfg.identity.certTtlMs),
      renewBefore: formatDuration(cfg.identity.renewBeforeMs),
      keyAlgorithm: cfg.identity.keyAlgorithm,
      pkiDir: '/var/lib/esq/pki',
    },
    zeroTrust: { requireToken: cfg.zeroTrust.requireToken, audiences: cfg.zeroTrust.audiences, tokenTtl: formatDuration(cfg.zeroTrust.tokenTtlMs), replayCache: cfg.zeroTrust.replayCache, ...(cfg.zeroTrust.mesh.length ? { mesh: Object.fromEntries(cfg.zeroTrust.mesh.map((p) => [p.raw, p.spiffeId])) } : {}) },
    keys: { storageKeyId: cfg.keys.storageKeyId },
    ...(cfg.secrets.allow.length ? { secrets: { allow: cfg.secrets.allow } } : {}),
    // The mirror's file moves onto the pod's state volume (the operator's path means nothing there).
    ...(cfg.mirror ? { mirror: { jsonl: '/var/lib/esq/mirror.jsonl', bodies: cfg.mirror.bodyLimit || false, queueSize: cfg.mirror.queueSize } } : {}),
  };
}

/** Firewall for the pod: loopback and the sidecar's UID may send; the service's port only via loopback. */
function netfilterScript(servicePort: number): string {
  const rules = (bin: string) =>
    [
      `${bin} -A OUTPUT -o lo -j ACCEPT`,
      `${bin} -A OUTPUT -m owner --uid-owner ${SIDECAR_UID} -j ACCEPT`,
      `${bin} -A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
      `${bin} -A OUTPUT -j REJECT`,
      `${bin} -A INPUT -p tcp --dport ${servicePort} ! -i lo -j REJECT`,
    ].join('\n');
  return `set -eu\n${rules('iptables')}\n${rules('ip6tables')}\ncp -R /etc/esq/pki-src/. /var/lib/esq/pki/\nchmod 600 /var/lib/esq/pki/*.key\nchown -R ${SIDECAR_UID}:${SIDECAR_UID} /var/lib/esq\n`;
}

function egressRules(cfg: EnvelopeConfig): Array<Record<string, unknown>> {
  const dns = {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
  const out: Array<Record<string, unknown>> = [dns];
  for (const e of cfg.outboundAllowList.filter((x) => isIP(x.host))) {
    const cidr = isIP(e.host) === 6 ? `${e.host}/128` : `${e.host}/32`;
    out.push({ to: [{ ipBlock: { cidr } }], ...(e.port ? { ports: [{ protocol: 'TCP', port: e.port }] } : {}) });
  }
  const named = cfg.outboundAllowList.filter((x) => !isIP(x.host));
  if (named.length > 0) {
    // NetworkPolicy matches addresses, not names: the sidecar's egress proxy enforces the names,
    // and the owner rule makes the proxy the only sender. Here: the ports those names use.
    const anyPort = named.some((e) => e.port === undefined);
    const ports = [...new Set(named.map((e) => e.port).filter((p): p is number => p !== undefined))];
    out.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ...(anyPort ? {} : { ports: ports.map((port) => ({ protocol: 'TCP', port })) }) });
  }
  return out;
}

export function renderK8sManifests(cfg: EnvelopeConfig, o: K8sOptions): string {
  const ns = o.namespace ?? cfg.identity.namespace;
  const port = o.servicePort ?? 8080;
  const name = cfg.service;
  const labels = { app: name, 'esq.dev/envelope': 'true', 'esq.dev/classification': cfg.classification };
  const meta = (n: string) => ({ name: n, namespace: ns, labels });
  const proxy = `http://127.0.0.1:${EGRESS_PROXY_PORT}`;

  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${name}-esq-sec`),
    data: { 'esq-sec.yml': new Document(podEnvelope(cfg, port)).toString() },
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels, annotations: { 'esq.dev/spiffe-id': cfg.identity.spiffeId } },
        spec: {
          automountServiceAccountToken: false,
          // Both containers get the sidecar's group: the service may use the vault socket and read its token file, nothing more.
          securityContext: { fsGroup: SIDECAR_UID },
          initContainers: [
            {
              name: 'esq-init',
              image: o.sidecarImage,
              command: ['sh', '-c', netfilterScript(port)],
              securityContext: { runAsUser: 0, runAsNonRoot: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW', 'CHOWN', 'FOWNER'], drop: ['ALL'] } },
              volumeMounts: [
                { name: 'esq-pki-src', mountPath: '/etc/esq/pki-src', readOnly: true },
                { name: 'esq-state', mountPath: '/var/lib/esq' },
              ],
            },
          ],
          containers: [
            {
              name,
              image: o.image,
              ...(o.command?.length ? { command: o.command } : {}),
              env: [
                { name: 'PORT', value: String(port) },
                { name: 'HTTP_PROXY', value: proxy },
                { name: 'HTTPS_PROXY', value: proxy },
                { name: 'NO_PROXY', value: 'localhost,127.0.0.1,::1' },
                { name: 'ESQ_VAULT_SOCKET', value: `${VAULT_SHARE}/vault.sock` },
                { name: 'ESQ_VAULT_TOKEN_FILE', value: `${VAULT_SHARE}/token` },
              ],
              volumeMounts: [{ name: 'esq-vault', mountPath: VAULT_SHARE, readOnly: true }],
              securityContext: { runAsUser: SERVICE_UID, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
            {
              name: 'esq-sidecar',
              image: o.sidecarImage,
              args: ['wrap', name, '--config', '/etc/esq/esq-sec.yml'],
              env: [
                { name: 'ESQ_HOME', value: '/var/lib/esq' },
                { name: 'ESQ_EGRESS_LISTEN', value: `127.0.0.1:${EGRESS_PROXY_PORT}` },
                { name: 'ESQ_VAULT_SHARE_DIR', value: VAULT_SHARE },
              ],
              ports: [{ name: 'https-mtls', containerPort: INGRESS_PORT, protocol: 'TCP' }],
              readinessProbe: { tcpSocket: { port: INGRESS_PORT } },
              securityContext: { runAsUser: SIDECAR_UID, runAsGroup: SIDECAR_UID, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'esq-sec', mountPath: '/etc/esq', readOnly: true },
                { name: 'esq-state', mountPath: '/var/lib/esq' },
                { name: 'esq-vault', mountPath: VAULT_SHARE },
              ],
            },
          ],
          volumes: [
            { name: 'esq-sec', configMap: { name: `${name}-esq-sec` } },
            { name: 'esq-pki-src', secret: { secretName: 'esq-pki', defaultMode: 0o400 } },
            { name: 'esq-state', emptyDir: {} },
            // tmpfs: the session token never reaches a disk.
            { name: 'esq-vault', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: { selector: { app: name }, ports: [{ name: 'https-mtls', port: 443, targetPort: 'https-mtls', protocol: 'TCP' }] },
  };
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(`${name}-esq-envelope`),
    spec: {
      podSelector: { matchLabels: { app: name } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: INGRESS_PORT }] }],
      egress: egressRules(cfg),
    },
  };
  const docs: Array<[object, string]> = [
    [configMap, `ESQ security envelope for ${name} (${cfg.identity.spiffeId}). Generated by \`esq wrap --emit k8s\`.\nThe CA comes from the secret esq-pki: kubectl -n ${ns} create secret generic esq-pki --from-file=<ESQ_HOME>/pki`],
    [deployment, `The service runs beside the esq sidecar; esq-init lets only the sidecar UID send traffic off the pod.\nThe service reads its vault grant through ${VAULT_SHARE} (socket + session token, in memory).`],
    [service, 'Callers reach the service only through the sidecar (mTLS on 443 → 8443).'],
    [policy, 'Ingress: the mTLS port only. Egress: DNS, listed IPs, and the ports of listed hosts (names are enforced by the sidecar).'],
  ];
  return docs
    .map(([obj, comment]) => {
      const d = new Document(obj);
      d.commentBefore = comment
        .split('\n')
        .map((l) => ` ${l}`)
        .join('\n');
      return d.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
