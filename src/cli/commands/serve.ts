import type { Command } from 'commander';
import pc from 'picocolors';
import { parseDeploymentEnv, settingsFromEnv } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { DEFAULT_PORT, startService } from '../../server/service.js';

function webhookFromEnv(): { webhook?: { url: string; secret: string } } {
  const url = process.env.ESQ_WEBHOOK_URL;
  if (!url) return {};
  const secret = process.env.ESQ_WEBHOOK_SECRET;
  if (!secret || secret.length < 16) throw new InvalidInputError('ESQ_WEBHOOK_URL is set: also set ESQ_WEBHOOK_SECRET (at least 16 characters) to sign the deliveries');
  return { webhook: { url, secret } };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the decision service: HTTP API, audit log, metrics (embedded SQLite, or PostgreSQL with ESQ_DATABASE_URL)')
    .option('--port <n>', 'port to listen on', String(DEFAULT_PORT))
    .option('--host <h>', 'address to bind (default loopback)', '127.0.0.1')
    .option('-p, --pack <name|dir>', 'policy pack (default: ESQ_PACK or hipaa)')
    .option('-e, --env <env>', 'deployment environment (default: ESQ_ENV or dev)')
    .option('--no-watch', 'do not hot-reload the pack when its files change')
    .addHelpText(
      'after',
      `
On the first start with an empty store an admin API key is printed once (or set ESQ_ADMIN_KEY).
Make more keys with "esq keys create". SIGINT/SIGTERM stop accepting, finish in-flight requests,
flush the audit log and sign a final checkpoint.`,
    )
    .action(async (o: { port: string; host: string; pack?: string; env?: string; watch: boolean }) => {
      const s = settingsFromEnv();
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidInputError(`--port takes a port number, not "${o.port}"`);
      const svc = await startService({
        home: s.home,
        env: o.env ? parseDeploymentEnv(o.env, '--env') : s.env,
        pack: o.pack ?? s.pack,
        ...(process.env.ESQ_DATABASE_URL ? { databaseUrl: process.env.ESQ_DATABASE_URL } : {}),
        ...(process.env.ESQ_ADMIN_KEY ? { adminKey: process.env.ESQ_ADMIN_KEY } : {}),
        ...webhookFromEnv(),
        ...(process.env.ESQ_REDIS_URL ? { redisUrl: process.env.ESQ_REDIS_URL } : {}),
        watch: o.watch,
      });
      const address = await svc.app.listen({ port, host: o.host });
      const p = svc.policy.current;
      process.stdout.write(`${pc.green('✔')} ESQ decision service on ${address}  (pack ${p.name}@${p.version}, ${p.rules.length} rules, store ${svc.store.dialect})\n`);
      process.stdout.write(pc.dim(`  console: ${address}/console/ · OpenAPI: ${address}/openapi.json · health: ${address}/healthz · metrics: ${address}/metrics\n`));
      if (svc.bootstrapKey) {
        process.stdout.write(`\n${pc.yellow('Admin API key (shown once, store it now):')}\n  ${svc.bootstrapKey}\n`);
        process.stdout.write(pc.dim(`  try: curl -s -H "Authorization: Bearer <key>" -d '{"name":"export_phi","dest":"s3://public_dump"}' -H 'content-type: application/json' ${address}/v1/decide\n\n`));
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write(pc.dim('shutting down: finishing in-flight requests, flushing the audit log…\n'));
          void svc.close().then(resolve, (e) => {
            process.stderr.write(`esq: shutdown failed: ${(e as Error).message}\n`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
