import { createRequire } from 'node:module';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { configFromEnvironment } from './config-from-environment.js';
import { loggerOptions } from './logger.js';
import { startSummary } from './start-summary.js';
import { InstanceConflictError } from './storage/storage.js';

/** At a terminal, readable log lines (pino-pretty, where installed); JSON lines anywhere else. */
function terminalLogger(config: Config) {
  if (!process.stdout.isTTY) return undefined;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return {
    ...loggerOptions(config.logLevel),
    transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } },
  };
}

/** Runs the service: reads the environment (and .env), listens, and shuts down gracefully on signals. */
async function main(): Promise<void> {
  const config = configFromEnvironment();

  const logger = terminalLogger(config);
  let app;
  try {
    app = await buildApp(config, logger === undefined ? {} : { logger });
  } catch (error) {
    // A deployment that cannot work as configured stops at once and says why.
    if (error instanceof InstanceConflictError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: closing sockets, finishing sends, closing storage');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const address = await app.listen({ port: config.port, host: config.host });
  const summary = startSummary(config, address, {
    passwordSet: (await app.storage.operator.passwordHash()) !== undefined,
  });
  for (const warning of summary.warnings) app.log.warn(warning);
  app.log.info({ publicBaseUrl: config.publicBaseUrl, mode: config.whatsapp.mode, address }, 'ready');
  // A person at a terminal gets the few lines that say what to open next.
  if (process.stdout.isTTY)
    process.stdout.write(`\n${summary.lines.map((line) => `  ${line}`).join('\n')}\n\n`);
}

await main();
