/**
 * A byte relay between a listener and a target, either of which may be TCP or a unix socket.
 * Unix sockets are how traffic crosses into and out of the service's network namespace: the
 * filesystem is shared, the network is not.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';

export type SocketAddress = { path: string } | { host: string; port: number };

export interface Relay {
  /** Where it listens (a port is filled in when 0 was asked for). */
  address: SocketAddress;
  close(): Promise<void>;
}

function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end).on('close', end);
  b.on('error', end).on('close', end);
}

export async function startRelay(listen: SocketAddress, target: SocketAddress): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = 'path' in target ? createConnection(target.path) : createConnection(target.port, target.host);
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    pipeBoth(client, upstream);
  });
  if ('path' in listen) {
    try {
      unlinkSync(listen.path); // a stale socket from a crashed run
    } catch {
      // none there
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in listen) server.listen(listen.path, done);
    else server.listen(listen.port, listen.host, done);
  });
  const a = server.address();
  const address: SocketAddress = 'path' in listen ? listen : { host: listen.host, port: typeof a === 'object' && a ? a.port : listen.port };
  return {
    address,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
