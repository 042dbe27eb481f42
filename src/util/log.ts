/**
 * Structured JSON logs (pino) to stderr, so stdout stays clean for command output and `--json`.
 * Asynchronous destination: logging never blocks a decision on a write.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

let root: Logger | undefined;
export function logger(): Logger {
  root ??= pino(
    { name: 'esq', level: process.env.ESQ_LOG_LEVEL ?? 'info', base: { pid: process.pid } },
    pino.destination({ dest: 2, sync: false }),
  );
  return root;
}
