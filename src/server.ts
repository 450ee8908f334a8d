import { existsSync } from 'node:fs';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/** Runs the service: reads the environment (and .env), listens, and shuts down gracefully on signals. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const app = await buildApp(config);
  if (config.whatsapp.mode === 'sandbox') {
    app.log.warn(
      `SANDBOX MODE: WHATSAPP_TOKEN is not set, so no message goes to WhatsApp. ` +
        `Try the bot at ${config.publicBaseUrl}/sandbox`,
    );
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

  await app.listen({ port: config.port, host: config.host });
  app.log.info({ publicBaseUrl: config.publicBaseUrl, mode: config.whatsapp.mode }, 'ready');
}

await main();
