/**
 * Runs inside the service's network namespace (started by netns.ts through `unshare --net`):
 * relays the ingress's unix socket to the service's loopback port, and the service's loopback
 * proxy port to the sidecar's egress socket. Exits when its parent closes stdin.
 *   node bridge-main.js '{"upstream":{"socket":"…","port":8080},"egress":{"port":15001,"socket":"…"}}'
 */
import { startRelay, type Relay } from './relay.js';

interface BridgeSpec {
  upstream: { socket: string; port: number };
  egress?: { port: number; socket: string };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as BridgeSpec;
const relays: Relay[] = [];
relays.push(await startRelay({ path: spec.upstream.socket }, { host: '127.0.0.1', port: spec.upstream.port }));
if (spec.egress) relays.push(await startRelay({ host: '127.0.0.1', port: spec.egress.port }, { path: spec.egress.socket }));
process.stdout.write('ready\n');

const stop = () => {
  void Promise.all(relays.map((r) => r.close())).finally(() => process.exit(0));
};
process.stdin.on('end', stop).on('close', stop).resume();
process.on('SIGTERM', stop);
