import { configFromEnvironment } from './config-from-environment.js';
import type { Config } from './config.js';
import { openStorage, type Storage } from './storage/storage.js';

/**
 * Runs a command-line tool's work on the service's own storage (SQLite in DATA_DIR, or DATABASE_URL), prints
 * what it says, and sets the exit status. The tool is not an instance of the service: it joins no cluster.
 */
export async function runWithStorage(
  work: (storage: Storage, config: Config) => Promise<{ output: string; status: number }>,
): Promise<void> {
  const config = configFromEnvironment();
  const storage = await openStorage({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    sharedLiveState: true,
    register: false,
    now: Date.now,
  });
  try {
    const result = await work(storage, config);
    process.stdout.write(`${result.output}\n`);
    process.exitCode = result.status;
  } finally {
    await storage.close();
  }
}
