import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom } from '../rooms/room.js';
import { createStorage } from '../storage/storage.js';
import { EXPIRED_ROOM_RETENTION_MS, HANDLED_MESSAGE_RETENTION_MS, runRetention } from './retention.js';

const DAY_MS = 86_400_000;

describe('runRetention', () => {
  it('deletes rooms a week after they expired, forgets message ids after eight days and idempotent requests after one, keeps the call history for HISTORY_DAYS', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const now = 100 * DAY_MS;
    const owners = [{}, {}] as const;
    const longGone = createRoom({
      nowMs: now - EXPIRED_ROOM_RETENTION_MS - 2 * DAY_MS,
      ttlSeconds: 86_400,
      owners,
    }).room;
    const recentlyExpired = createRoom({ nowMs: now - 2 * DAY_MS, ttlSeconds: 86_400, owners }).room;
    await storage.ledger.commit(
      'old',
      { rooms: [longGone, recentlyExpired], messages: [] },
      now - HANDLED_MESSAGE_RETENTION_MS - 1,
    );
    const apiRequest = (key: string) => ({ keyId: 'k', idempotencyKey: key, bodyHash: 'h', answer: {} });
    await storage.ledger.commit(
      'recent',
      { rooms: [], messages: [], apiRequest: apiRequest('yesterday') },
      now - DAY_MS - 1,
    );
    await storage.ledger.commit(
      'today',
      { rooms: [], messages: [], apiRequest: apiRequest('today') },
      now - 1,
    );

    // Idempotency-Keys hold for a day.
    assert.deepEqual(await runRetention(storage, now), { rooms: 1, messageIds: 1, apiRequests: 1, calls: 0 });
    assert.equal(await storage.apiKeys.findRequest('k', 'yesterday'), undefined);
    assert.ok(await storage.apiKeys.findRequest('k', 'today'));
    assert.equal(await storage.rooms.get(longGone.id), undefined);
    assert.deepEqual(await storage.rooms.get(recentlyExpired.id), recentlyExpired);
    assert.equal(await storage.ledger.commit('recent', { rooms: [], messages: [] }, now), false);
    // The dashboard's history of a call outlives its room, for the configured number of days.
    assert.ok(await storage.history.call(longGone.id, now));
    assert.equal((await runRetention(storage, now, 5)).calls, 1);
    assert.equal(await storage.history.call(longGone.id, now), undefined);
    assert.ok(await storage.history.call(recentlyExpired.id, now));
    await storage.close();
  });
});
