import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CheckpointResult } from './wal-checkpointer.js';
import { openDatabase } from './sqlite-database.js';

describe('WAL checkpoints in a worker thread', () => {
  it('copy the log into the database file while the writer goes on, and nothing is left after close', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wwb-wal-'));
    let emptied: (result: CheckpointResult) => void = () => undefined;
    const done = new Promise<CheckpointResult>((resolve) => (emptied = resolve));
    const { db, close } = openDatabase(dir, (result) => {
      if ('error' in result) assert.fail(result.error);
      if (result.log > 0 && result.checkpointed === result.log) emptied(result);
    });
    const insert = db.prepare('INSERT INTO processed_messages (id, processed_at) VALUES (?, ?)');
    for (let i = 0; i < 2_000; i++) insert.run(`m${i}`, i);
    const wal = path.join(dir, 'whatsapp-webrtc-bot.sqlite-wal');
    assert.ok(statSync(wal).size > 0, 'the commits went to the log');
    // The worker does not keep a process alive by itself (a service's server does): hold this one meanwhile.
    const holdOpen = setInterval(() => undefined, 1_000);
    const result = await done;
    clearInterval(holdOpen);
    assert.ok(result.checkpointed > 0);
    await close();
    assert.equal(existsSync(wal), false);
    rmSync(dir, { recursive: true, force: true });
  });
});
