import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom, type Room } from '../rooms/room.js';
import type { OutgoingMessage } from '../whatsapp/outbox.js';
import type { Storage } from './storage.js';

/** A backend under test: a fresh, empty storage, and a way to open it again as a restarted process would. */
export interface StorageFixture {
  readonly storage: Storage;
  /** Closes this storage and opens the same data again; undefined where the backend cannot. */
  readonly reopen?: () => Promise<Storage>;
}

function room(nowMs = 1_000, ttlSeconds = 60): Room {
  return createRoom({
    nowMs,
    ttlSeconds,
    owners: [{ waId: '573001112233', name: 'Ana' }, { waId: '573004445566' }],
  }).room;
}

function message(id: string, roomId?: string): OutgoingMessage {
  return { id, to: '573004445566', roomId, content: { type: 'text', text: { body: `hello ${id}` } } };
}

/**
 * The behaviour every storage backend must have. Each adapter's test file runs this suite against a real
 * instance of its backend.
 */
export function storageContract(
  backend: string,
  open: () => Promise<StorageFixture>,
  { durable }: { durable: boolean },
): void {
  describe(`${backend} storage`, () => {
    it('commits a message with its room and outgoing messages, and reads them back', async () => {
      const { storage } = await open();
      const r = room();
      assert.equal(
        await storage.ledger.commit('in-1', { rooms: [r], messages: [message('in-1:a', r.id)] }, 5),
        true,
      );
      assert.deepEqual(await storage.rooms.get(r.id), r);
      const entry = await storage.outbox.get('in-1:a');
      assert.deepEqual(entry, {
        ...message('in-1:a', r.id),
        state: 'pending',
        attempts: 0,
        nextAttemptAtMs: 5,
        wamid: undefined,
        lastError: undefined,
      });
      await storage.close();
    });

    it('handles a message once: a second commit of the same id writes nothing', async () => {
      const { storage } = await open();
      const first = room();
      const second = room();
      assert.equal(
        await storage.ledger.commit('in-1', { rooms: [first], messages: [message('in-1:a')] }, 1),
        true,
      );
      assert.equal(
        await storage.ledger.commit('in-1', { rooms: [second], messages: [message('in-1:b')] }, 2),
        false,
      );
      assert.equal(await storage.rooms.get(second.id), undefined);
      assert.equal(await storage.outbox.get('in-1:b'), undefined);
      await storage.close();
    });

    it('handles a message once when the same id is committed many times at the same moment', async () => {
      const { storage } = await open();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          storage.ledger.commit('in-same', { rooms: [], messages: [message(`in-same:${i}`)] }, 1),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await storage.outbox.claimDue(10, 100).then((entries) => entries.length), 1);
      await storage.close();
    });

    it('claims due messages once, oldest first, up to a limit', async () => {
      const { storage } = await open();
      await storage.ledger.commit(
        'in-1',
        { rooms: [], messages: [message('m1'), message('m2'), message('m3')] },
        10,
      );
      assert.deepEqual(await storage.outbox.claimDue(9, 10), [], 'nothing is due before its time');
      const claimed = await storage.outbox.claimDue(10, 2);
      assert.equal(claimed.length, 2);
      assert.ok(claimed.every((entry) => entry.state === 'sending' && entry.attempts === 1));
      const rest = await storage.outbox.claimDue(10, 10);
      assert.equal(rest.length, 1);
      assert.deepEqual(await storage.outbox.claimDue(10, 10), []);
      await storage.close();
    });

    it('records sent messages with their WhatsApp id', async () => {
      const { storage } = await open();
      await storage.ledger.commit('in-1', { rooms: [], messages: [message('m1')] }, 1);
      await storage.outbox.claimDue(1, 1);
      await storage.outbox.markSent('m1', 'wamid.OUT', 2);
      const entry = await storage.outbox.get('m1');
      assert.equal(entry?.state, 'sent');
      assert.equal(entry?.wamid, 'wamid.OUT');
      assert.equal(await storage.outbox.nextDueAtMs(), undefined);
      await storage.close();
    });

    it('reschedules a failed attempt and hands it out again when due', async () => {
      const { storage } = await open();
      await storage.ledger.commit('in-1', { rooms: [], messages: [message('m1')] }, 1);
      await storage.outbox.claimDue(1, 1);
      await storage.outbox.reschedule('m1', 500, '130429: throughput', 2);
      assert.equal(await storage.outbox.nextDueAtMs(), 500);
      assert.deepEqual(await storage.outbox.claimDue(499, 10), []);
      const [again] = await storage.outbox.claimDue(500, 10);
      assert.equal(again?.attempts, 2);
      assert.equal(again?.lastError, '130429: throughput');
      await storage.close();
    });

    it('marks a message failed for good', async () => {
      const { storage } = await open();
      await storage.ledger.commit('in-1', { rooms: [], messages: [message('m1')] }, 1);
      await storage.outbox.claimDue(1, 1);
      await storage.outbox.markFailed('m1', '131026: undeliverable', 2);
      assert.equal((await storage.outbox.get('m1'))?.state, 'failed');
      assert.deepEqual(await storage.outbox.claimDue(1_000, 10), []);
      await storage.close();
    });

    it('makes messages a dead process left half-sent due again', async () => {
      const { storage } = await open();
      await storage.ledger.commit('in-1', { rooms: [], messages: [message('m1'), message('m2')] }, 1);
      await storage.outbox.claimDue(1, 10);
      assert.equal(await storage.outbox.recoverInterrupted(7), 2);
      assert.equal((await storage.outbox.claimDue(7, 10)).length, 2);
      await storage.close();
    });

    it('deletes rooms that expired, and keeps the rest', async () => {
      const { storage } = await open();
      const old = room(0, 60);
      const fresh = room(0, 3600);
      await storage.ledger.commit('in-1', { rooms: [old, fresh], messages: [] }, 1);
      assert.equal(await storage.rooms.deleteExpired(61_000), 1);
      assert.equal(await storage.rooms.get(old.id), undefined);
      assert.deepEqual(await storage.rooms.get(fresh.id), fresh);
      await storage.close();
    });

    it('forgets handled ids after the retention time, and only those', async () => {
      const { storage } = await open();
      await storage.ledger.commit('old', { rooms: [], messages: [] }, 1);
      await storage.ledger.commit('new', { rooms: [], messages: [] }, 100);
      assert.equal(await storage.ledger.pruneBefore(50), 1);
      assert.equal(await storage.ledger.commit('new', { rooms: [], messages: [] }, 101), false);
      assert.equal(await storage.ledger.commit('old', { rooms: [], messages: [] }, 101), true);
      await storage.close();
    });

    it('answers a ping while open', async () => {
      const { storage } = await open();
      await storage.ping();
      await storage.close();
    });

    // Only backends that outlive the process can promise this.
    if (!durable) return;
    it('remembers handled messages, rooms and the outbox across a restart', async () => {
      const fixture = await open();
      assert.ok(fixture.reopen, 'a durable backend can be reopened');
      const r = room();
      await fixture.storage.ledger.commit('in-1', { rooms: [r], messages: [message('m1', r.id)] }, 1);
      const reopened = await fixture.reopen();
      assert.equal(await reopened.ledger.commit('in-1', { rooms: [], messages: [] }, 2), false);
      assert.deepEqual(await reopened.rooms.get(r.id), r);
      assert.equal((await reopened.outbox.get('m1'))?.state, 'pending');
      await reopened.close();
    });
  });
}
