import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { tempHome } from '../../../test/helpers.js';
import { Vault } from '../../envelope/vault/vault.js';
import { packageRoot } from '../../util/package-root.js';
import { runCli } from './envelope-cli.fixtures.js';

const home = tempHome('esq-cli-wrap-');
after(() => home.cleanup());
const MASTER = randomBytes(32).toString('base64');
const esq = (...args: string[]) => runCli('./wrap.js', 'registerWrap', args, { ESQ_HOME: join(home.dir, '.esq'), ESQ_MASTER_KEY: MASTER }, 60_000);
const seedFile = join(packageRoot(), 'src/envelope/config/testdata/lunch-subsidy-sec.yml');

describe('esq wrap', () => {
  it('--emit k8s prints the manifests for the seed envelope', async () => {
    const r = await esq('wrap', 'lunch-subsidy-svc', '--config', seedFile, '--emit', 'k8s', '--image', 'registry.local/lunch:1.4', '--', 'node', 'server.js');
    assert.equal(r.code, 0, r.err);
    const kinds = parseAllDocuments(r.out).map((d) => (d.toJS() as { kind: string }).kind);
    assert.deepEqual(kinds, ['ConfigMap', 'Deployment', 'Service', 'NetworkPolicy']);
    assert.match(r.out, /image: registry\.local\/lunch:1\.4/);
  });

  it('refuses bad usage with one line: no image, wrong service, broken file', async () => {
    const noImage = await esq('wrap', 'lunch-subsidy-svc', '--config', seedFile, '--emit', 'k8s');
    assert.equal(noImage.code, 2);
    assert.match(noImage.err, /--image/);
    const other = await esq('wrap', 'billing', '--config', seedFile, '--', 'true');
    assert.equal(other.code, 2);
    assert.match(other.err, /envelope of "lunch-subsidy-svc", not "billing"/);
    const broken = join(home.dir, 'broken.yml');
    writeFileSync(broken, 'service: billing\nlisten: 0\nscannerInterval: soon\n');
    const b = await esq('wrap', 'billing', '--config', broken, '--', 'true');
    assert.equal(b.code, 2);
    assert.match(b.err, /broken\.yml:3:\d+: scannerInterval/);
  });

  it('runs the service inside the envelope with the default policy engine and exits with its code', async () => {
    const file = join(home.dir, 'billing-sec.yml');
    writeFileSync(file, 'service: billing\nlisten: 0\n');
    const r = await esq('wrap', 'billing', '--config', file, '--isolation', 'none', '--', process.execPath, '-e', 'process.exit(Number(process.env.PORT) > 0 ? 5 : 9)');
    assert.equal(r.code, 5, r.err);
    assert.match(r.err, /✔ mTLS cert issued \(spiffe:\/\/esq\.local\/ns\/default\/sa\/billing/);
    assert.match(r.err, /egress is advisory/);
    assert.match(r.err, /0 allowed callers/);
    const missing = await esq('wrap', 'billing', '--config', file, '--isolation', 'none', '--', '/nonexistent/esq-test-command');
    assert.equal(missing.code, 127);
    assert.match(missing.err, /cannot start \/nonexistent\/esq-test-command: ENOENT/);
  });

  it('hands the service its vault: the child prints a secret put beforehand; a path outside its grant is refused', async () => {
    const secret = `tok_${randomBytes(12).toString('hex')}`;
    const v = new Vault({ home: join(home.dir, '.esq'), env: { ESQ_MASTER_KEY: MASTER } });
    await v.put('banking/apiToken', secret);
    await v.put('patients/ssn', 'not yours');
    v.close();
    const file = join(home.dir, 'vaulted-sec.yml');
    writeFileSync(file, 'service: vaulted\nlisten: 0\nsecrets: { allow: ["banking/*"] }\n');
    // The child speaks the vault's HTTP API over the socket from its environment, as any service could.
    const child = `const http = require('node:http');
const get = (p) => new Promise((done) => http.get({ socketPath: process.env.ESQ_VAULT_SOCKET, path: '/v1/vault/' + p, headers: { authorization: 'Bearer ' + process.env.ESQ_VAULT_TOKEN } }, (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => done([r.statusCode, b])); }));
(async () => { const [ok, value] = await get('banking/apiToken'); const [outside] = await get('patients/ssn'); console.log(JSON.stringify({ ok, value, outside, masterKey: 'ESQ_MASTER_KEY' in process.env })); })();`;
    const r = await esq('wrap', 'vaulted', '--config', file, '--isolation', 'none', '--', process.execPath, '-e', child);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /✔ vault API for vaulted on unix:/);
    assert.deepEqual(JSON.parse(r.out.trim().split('\n').at(-1)!), { ok: 200, value: secret, outside: 403, masterKey: false });
  });
});
