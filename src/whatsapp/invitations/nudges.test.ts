import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom } from '../../rooms/room.js';
import { createStorage } from '../../storage/storage.js';
import { NUDGE_AFTER_MS, runNudges } from './nudges.js';

const NOW = 1_800_000_000_000;

async function roomWithAnaWaiting(luisWroteAtMs: number | undefined) {
  const storage = createStorage({ dataDir: ':memory:' });
  const { room } = createRoom({
    nowMs: NOW - NUDGE_AFTER_MS * 2,
    ttlSeconds: 3600,
    owners: [{ waId: '573001112233', name: 'Ana' }, { waId: '573004445566' }],
  });
  const inbound =
    luisWroteAtMs === undefined ? undefined : { person: '573004445566', line: 'main', atMs: luisWroteAtMs };
  await storage.ledger.commit('in-1', { rooms: [room], messages: [], inbound }, NOW - NUDGE_AFTER_MS * 2);
  await storage.rooms.markJoined(room.id, 0, NOW - NUDGE_AFTER_MS - 1);
  return { storage, room };
}

describe('runNudges', () => {
  it('reminds the person who has not joined, once, when their window is open', async () => {
    const { storage, room } = await roomWithAnaWaiting(NOW - 3_600_000);
    assert.equal(await runNudges(storage, NOW), 1);
    const nudge = await storage.outbox.get(`${room.id}:nudge`);
    assert.equal(nudge?.to, '573004445566');
    assert.match(
      JSON.stringify(nudge?.content),
      /Ana \(\+57 300 1112233\) ya está en la videollamada y te está esperando/,
    );
    assert.equal(await runNudges(storage, NOW + 60_000), 0);
  });

  it('stays silent when WhatsApp would not let the bot write to them', async () => {
    const { storage, room } = await roomWithAnaWaiting(undefined);
    assert.equal(await runNudges(storage, NOW), 0);
    assert.equal(await storage.outbox.get(`${room.id}:nudge`), undefined);
  });

  it('waits a few minutes before reminding anyone', async () => {
    const { storage } = await roomWithAnaWaiting(NOW);
    assert.equal(await runNudges(storage, NOW - NUDGE_AFTER_MS), 0);
  });
});
