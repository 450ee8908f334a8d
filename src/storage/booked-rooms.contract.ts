import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom, type Room } from '../rooms/room.js';
import type { StorageFixture } from './storage.contract.js';

const HOUR = 3_600_000;

function booked(startsAtMs: number | undefined, inviter = '573001112233', line = 'main'): Room {
  return createRoom({
    nowMs: 1_000,
    ttlSeconds: 3600,
    owners: [{ waId: inviter, name: 'Ana' }, { waId: '573004445566' }],
    line,
    startsAtMs,
  }).room;
}

/** Booked calls in the store: their time, their reminders, moving and finding them. Every backend runs it. */
export function bookedRoomsContract(backend: string, open: () => Promise<StorageFixture>): void {
  describe(`${backend} storage: booked calls`, () => {
    it('keeps a booked call’s time, and lives its length after it', async () => {
      const { storage } = await open();
      const call = booked(10 * HOUR);
      await storage.ledger.commit('in-1', { rooms: [call], messages: [] }, 1_000);
      const read = await storage.rooms.get(call.id);
      assert.equal(read?.startsAtMs, 10 * HOUR);
      assert.equal(read?.expiresAtMs, 11 * HOUR);
      await storage.close();
    });

    it('hands out reminders due by a time, soonest first, once each, again after a move', async () => {
      const { storage } = await open();
      const [soon, later, now, cancelled] = [2 * HOUR, 5 * HOUR, undefined, 2 * HOUR].map((at) => booked(at));
      await storage.ledger.commit('in-1', { rooms: [later!, soon!, now!, cancelled!], messages: [] }, 1_000);
      await storage.rooms.cancel(cancelled!.id, 2_000);
      const due = async (byMs: number) =>
        (await storage.rooms.remindersDue(byMs, HOUR, 10)).map(({ room }) => room.id);
      assert.deepEqual(await due(HOUR), []);
      assert.deepEqual(await due(6 * HOUR), [soon!.id, later!.id]);
      await storage.rooms.markReminded(soon!.id, 2 * HOUR, HOUR);
      assert.deepEqual(await due(6 * HOUR), [later!.id]);
      // A mark for a time the call no longer has (moved meanwhile) does not count.
      assert.equal(await storage.rooms.reschedule(later!.id, 4 * HOUR, 5 * HOUR, HOUR), true);
      await storage.rooms.markReminded(later!.id, 5 * HOUR, HOUR);
      assert.deepEqual(await due(6 * HOUR), [later!.id]);
      // Moved: its reminder is due again, at its new time.
      assert.equal(await storage.rooms.reschedule(soon!.id, 3 * HOUR, 4 * HOUR, HOUR), true);
      assert.deepEqual(await due(3 * HOUR), [soon!.id]);
      const moved = await storage.rooms.get(soon!.id);
      assert.deepEqual([moved?.startsAtMs, moved?.expiresAtMs], [3 * HOUR, 4 * HOUR]);
      await storage.close();
    });

    it('hands out the links stored with a booked call, and none of a room stored without them', async () => {
      const { storage } = await open();
      const links = ['https://call.example/room/a#k=1', 'https://call.example/room/a#k=2'] as const;
      const withLinks = { ...booked(2 * HOUR), links };
      const without = booked(2 * HOUR);
      await storage.ledger.commit('in-1', { rooms: [withLinks, without], messages: [] }, 1_000);
      const due = await storage.rooms.remindersDue(3 * HOUR, HOUR, 10);
      const byId = new Map(due.map((entry) => [entry.room.id, entry.links]));
      assert.deepEqual(byId.get(withLinks.id), links);
      assert.equal(byId.get(without.id), undefined);
      // Never part of the room as it is read.
      assert.equal((await storage.rooms.get(withLinks.id))?.links, undefined);
      await storage.close();
    });

    it('hands out the calls to tell the inviter about: held and hung up, or the invitee never came', async () => {
      const { storage } = await open();
      const [held, stillOn, noShow, bookedNoShow, later, cancelled, old] = [
        booked(undefined),
        booked(undefined),
        booked(undefined),
        booked(2 * HOUR),
        booked(5 * HOUR),
        booked(undefined),
        booked(undefined),
      ];
      await storage.ledger.commit('in-old', { rooms: [old], messages: [] }, 1_000);
      const recent = [held, stillOn, noShow, bookedNoShow, later, cancelled].map((room) => ({
        ...room,
        createdAtMs: 2_000,
      }));
      await storage.ledger.commit('in-1', { rooms: recent, messages: [] }, 2_000);
      for (const room of [held, stillOn]) {
        await storage.rooms.markJoined(room.id, 0, 3_000);
        await storage.rooms.markJoined(room.id, 1, 4_000);
      }
      await storage.rooms.markEnded(held.id, 5_000);
      await storage.rooms.markEnded(held.id, 9_000);
      await storage.rooms.cancel(cancelled.id, 3_000);
      // No-shows by 3 h: the call now (made at 2 s) and the one booked at 2 h; not the one at 5 h.
      const due = await storage.rooms.summariesDue(2_000, 3 * HOUR, 10);
      assert.deepEqual(new Set(due.map((r) => r.id)), new Set([held.id, noShow.id, bookedNoShow.id]));
      assert.equal(due.find((r) => r.id === held.id)?.endedAtMs, 5_000);
      await storage.rooms.markSummarized(held.id, 6_000);
      const after = await storage.rooms.summariesDue(2_000, 3 * HOUR, 10);
      assert.deepEqual(new Set(after.map((r) => r.id)), new Set([noShow.id, bookedNoShow.id]));
      await storage.close();
    });

    it('nudges for a booked call only from its time, however early someone came in', async () => {
      const { storage } = await open();
      const call = booked(2 * HOUR);
      await storage.ledger.commit('in-1', { rooms: [call], messages: [] }, 1_000);
      await storage.rooms.markJoined(call.id, 0, 1.75 * HOUR);
      const waiting = async (nowMs: number) =>
        (await storage.rooms.waitingForSecondPerson(nowMs - 60_000, nowMs)).map(({ room }) => room.id);
      assert.deepEqual(await waiting(1.9 * HOUR), []);
      assert.deepEqual(await waiting(2 * HOUR), [call.id]);
      await storage.close();
    });

    it('moves only live booked calls', async () => {
      const { storage } = await open();
      const now = booked(undefined);
      const gone = booked(2 * HOUR);
      await storage.ledger.commit('in-1', { rooms: [now, gone], messages: [] }, 1_000);
      assert.equal(await storage.rooms.reschedule(now.id, 5 * HOUR, 6 * HOUR, HOUR), false);
      await storage.rooms.cancel(gone.id, 2_000);
      assert.equal(await storage.rooms.reschedule(gone.id, 5 * HOUR, 6 * HOUR, HOUR), false);
      assert.equal(await storage.rooms.reschedule('nothing-here-at-all-xx', 5 * HOUR, 6 * HOUR, HOUR), false);
      await storage.close();
    });

    it('finds the live booked calls a person asked for on a line, soonest first', async () => {
      const { storage } = await open();
      const second = booked(6 * HOUR);
      const first = booked(3 * HOUR);
      const others = [
        booked(undefined),
        booked(2 * HOUR, '573009990000'),
        booked(2 * HOUR, '573001112233', 'norte'),
      ];
      const over = booked(2 * HOUR);
      await storage.ledger.commit('in-1', { rooms: [second, first, over, ...others], messages: [] }, 1_000);
      // `over` lives until 3 h: at 3.5 h it is gone.
      const ids = (await storage.rooms.bookedBy('573001112233', 'main', 3.5 * HOUR)).map((r) => r.id);
      assert.deepEqual(ids, [first.id, second.id]);
      await storage.close();
    });
  });
}
