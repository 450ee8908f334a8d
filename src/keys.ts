import { runKeysCommand } from './api/keys-command.js';
import { runWithStorage } from './command-storage.js';

/** `npm run keys -- …`: manages API keys in the service's own storage (SQLite, or DATABASE_URL). */
await runWithStorage((storage, config) =>
  runKeysCommand(process.argv.slice(2), { keys: storage.apiKeys, lines: config.lines, nowMs: Date.now() }),
);
