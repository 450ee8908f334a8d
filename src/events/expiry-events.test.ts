import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom } from '../rooms/room.js';
import { createStorage } from '../storage/storage.js';
import { CallEvents } from './call-events.js';
import { runExpiryEvents } from './expiry-events.js';

const ENDPOINT = {
  id: 'crm',
  url: 'http://127.0.0.1:9/hooks',
  secret: 'whsec_x',
  events: undefined,
  lines: undefined,
};

describe('call.expired', () => {
  it('tells once of each call whose links ran out, not of cancelled ones, whatever their number', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const events = new CallEvents([ENDPOINT], () => storage.ledger);
    const owners = [{}, {}] as const;
    // 250 calls that run out at the same moment (more than a batch), one cancelled, one still valid.
    const expired = Array.from({ length: 250 }, () => createRoom({ nowMs: 0, ttlSeconds: 60, owners }).room);
    const cancelled = createRoom({ nowMs: 0, ttlSeconds: 60, owners }).room;
    const valid = createRoom({ nowMs: 0, ttlSeconds: 3600, owners }).room;
    await storage.ledger.commit('rooms', { rooms: [...expired, cancelled, valid], messages: [] }, 0);
    await storage.rooms.cancel(cancelled.id, 10_000);
    await storage.rooms.markJoined(expired[0]!.id, 1, 5_000);

    const first = await runExpiryEvents({ rooms: storage.rooms, events }, 0, 120_000);
    assert.deepEqual(first, { queued: 250, upToMs: 120_000 });
    const [row] = events.messages(`${expired[0]!.id}:expired`, 'call.expired', expired[0]!, {}, 0);
    const stored = await storage.outbox.get(row!.id);
    const { event } = stored?.content as unknown as { event: { type: string; data: { joined: string[] } } };
    assert.equal(event.type, 'call.expired');
    assert.deepEqual(event.data.joined, ['guest'], 'who had come');
    // Looking again over the same time (a restart) adds nothing.
    assert.equal((await runExpiryEvents({ rooms: storage.rooms, events }, 0, 120_000)).queued, 0);
    await storage.close();
  });
});
