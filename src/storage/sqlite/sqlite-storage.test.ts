import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { createStorage } from '../storage.js';
import { storageContract } from '../storage.contract.js';
import { historyContract } from '../../history/call-history.contract.js';
import { bookedRoomsContract } from '../booked-rooms.contract.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

storageContract(
  'SQLite (in memory)',
  () => Promise.resolve({ storage: createStorage({ dataDir: ':memory:' }) }),
  {
    durable: false,
  },
);

storageContract(
  'SQLite (file, WAL)',
  () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wwb-sqlite-'));
    dirs.push(dataDir);
    const storage = createStorage({ dataDir });
    return Promise.resolve({
      storage,
      reopen: async () => {
        await storage.close();
        return createStorage({ dataDir });
      },
    });
  },
  { durable: true },
);

bookedRoomsContract('SQLite', () => Promise.resolve({ storage: createStorage({ dataDir: ':memory:' }) }));

historyContract('SQLite', () => {
  const storage = createStorage({ dataDir: ':memory:' });
  return Promise.resolve({
    ledger: storage.ledger,
    history: storage.history,
    operator: storage.operator,
    close: () => storage.close(),
  });
});
