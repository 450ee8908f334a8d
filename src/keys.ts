import { runKeysCommand } from './api/keys-command.js';
import { configFromEnvironment } from './config-from-environment.js';
import { openStorage } from './storage/storage.js';

/** `npm run keys -- …`: manages API keys in the service's own storage (SQLite, or DATABASE_URL). */
async function main(): Promise<void> {
  const config = configFromEnvironment();
  const storage = await openStorage({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    // Not an instance of the service: it joins no cluster.
    sharedLiveState: true,
    register: false,
    now: Date.now,
  });
  try {
    const result = await runKeysCommand(process.argv.slice(2), {
      keys: storage.apiKeys,
      lines: config.lines,
      nowMs: Date.now(),
    });
    process.stdout.write(`${result.output}\n`);
    process.exitCode = result.status;
  } finally {
    await storage.close();
  }
}

await main();
