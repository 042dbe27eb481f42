/**
 * Why the proxy is not the only wall: a wrapped child that ignores HTTP(S)_PROXY and dials directly
 * must still get nowhere. Run in a fresh network namespace (`unshare --net --map-root-user`), the
 * child cannot reach a loopback port of the host, while the same child outside the namespace can
 * (the control). Skips, with the reason, where user namespaces are not permitted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { startEgressProxy } from './proxy.js';

function namespaceSupport(): string | undefined {
  const r = spawnSync('unshare', ['--net', '--map-root-user', 'true'], { timeout: 5000, encoding: 'utf8' });
  if (r.error) return `unshare is not available (${(r.error as NodeJS.ErrnoException).code})`;
  if (r.status !== 0) return `unprivileged network namespaces are not permitted here: ${(r.stderr || '').trim() || `exit ${r.status}`}`;
  return undefined;
}

/** The child: ignores proxy variables, dials 127.0.0.1:<port> directly, prints the outcome. */
const CHILD = `
const s = require('node:net').connect({ host: '127.0.0.1', port: Number(process.argv[1]) });
const t = setTimeout(() => { console.log('TIMEOUT'); process.exit(0); }, 2000);
s.on('connect', () => { console.log('CONNECTED'); clearTimeout(t); s.destroy(); });
s.on('error', (e) => { console.log('ERROR ' + e.code); clearTimeout(t); });
`;

const skip = namespaceSupport();

describe('network namespace isolation', { skip }, () => {
  it('a child that ignores HTTP_PROXY cannot reach a host loopback port from its own namespace', async () => {
    const server = createServer((s) => s.destroy());
    let connections = 0;
    server.on('connection', () => connections++);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const proxy = await startEgressProxy({ allowList: [] }); // listed nowhere: the proxy would refuse it too
    try {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, http_proxy: proxy.url, https_proxy: proxy.url };
      const control = spawnSync(process.execPath, ['-e', CHILD, String(port)], { env, timeout: 10_000, encoding: 'utf8' });
      assert.equal(control.stdout.trim(), 'CONNECTED', 'control: the port is reachable outside a namespace');
      await new Promise((r) => setTimeout(r, 50));
      const before = connections;
      assert.ok(before >= 1);

      const jailed = spawnSync('unshare', ['--net', '--map-root-user', process.execPath, '-e', CHILD, String(port)], { env, timeout: 10_000, encoding: 'utf8' });
      assert.equal(jailed.status, 0, jailed.stderr);
      assert.match(jailed.stdout.trim(), /^ERROR (ENETUNREACH|ECONNREFUSED|EADDRNOTAVAIL)$/);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(connections, before, 'no connection reached the host port');
      assert.equal(proxy.stats().requests, 0, 'and the child did not use the proxy either');
    } finally {
      await proxy.close();
      server.close();
    }
  });
});
