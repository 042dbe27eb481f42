/** Listening on an address, with the usual failures turned into errors a user can act on. */
import type { Server } from 'node:net';
import { ConfigError } from '../../errors.js';
import { endpointLabel } from '../config/endpoint.js';

export async function listenOrExplain(server: Server, at: { host: string; port: number }, what: string, onFail?: () => Promise<void>): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at.port, at.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await onFail?.();
    const code = (e as NodeJS.ErrnoException).code;
    const where = endpointLabel(at);
    if (code === 'EADDRINUSE') throw new ConfigError(`${what} cannot listen on ${where}: the address is in use (choose another listen address in the envelope file)`);
    if (code === 'EACCES') throw new ConfigError(`${what} cannot listen on ${where}: permission denied (ports below 1024 need privileges)`);
    if (code === 'EADDRNOTAVAIL') throw new ConfigError(`${what} cannot listen on ${where}: no such local address`);
    throw e;
  }
}
