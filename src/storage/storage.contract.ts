import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom, type Room } from '../rooms/room.js';
import { createApiKey } from '../api/api-keys.js';
import type { OutgoingMessage } from '../whatsapp/outbox/outbox.js';
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
  return {
    id,
    kind: 'reply',
    line: 'main',
    to: '573004445566',
    roomId,
    content: { type: 'text', text: { body: `hello ${id}` } },
  };
}

function invitation(id: string): OutgoingMessage {
  return {
    ...message(id),
    kind: 'invitation',
    context: {
      inviter: '573001112233',
      inviterLanguage: 'es',
      inviteeLabel: 'Luis',
      forwardUrl: 'https://wa.me/1',
    },
  };
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
      // The reply answers the received message: it is marked read just before the reply leaves.
      const answer = { ...message('in-1:a', r.id), answers: 'in-1' };
      assert.equal(await storage.ledger.commit('in-1', { rooms: [r], messages: [answer] }, 5), true);
      assert.deepEqual(await storage.rooms.get(r.id), r);
      const entry = await storage.outbox.get('in-1:a');
      assert.deepEqual(entry, {
        ...answer,
        context: undefined,
        state: 'pending',
        attempts: 0,
        nextAttemptAtMs: 5,
        wamid: undefined,
        lastError: undefined,
        delivery: undefined,
        deliveryError: undefined,
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

    it('commits a call only within its limits, checked as it is written, and the refusal otherwise', async () => {
      const { storage } = await open();
      const call = (id: string, invitee: string, nowMs: number) => {
        const r = createRoom({ nowMs, ttlSeconds: 60, owners: [{ waId: 'ana' }, { waId: invitee }] }).room;
        const guard = {
          creator: 'ana',
          aliases: [],
          line: 'main',
          sinceMs: nowMs - 3_600_000,
          maxCalls: 2,
          invitee,
          pairSinceMs: nowMs - 120_000,
        };
        const refusal = (reason: string) => ({ rooms: [], messages: [message(`${id}:${reason}`)] });
        return {
          room: r,
          write: {
            guard,
            effects: { rooms: [r], messages: [message(`${id}:ok`, r.id)] },
            refusals: { 'too-many': refusal('too-many'), 'pair-cooldown': refusal('cooldown') },
          },
        };
      };
      const first = call('c1', 'luis', 1_000_000);
      assert.equal(await storage.ledger.commitCall('c1', first.write, 1_000_000), 'created');
      assert.deepEqual(await storage.rooms.get(first.room.id), first.room);
      assert.equal(await storage.ledger.commitCall('c1', first.write, 1_000_000), 'duplicate');
      const soon = call('c2', 'luis', 1_060_000);
      assert.equal(await storage.ledger.commitCall('c2', soon.write, 1_060_000), 'pair-cooldown');
      assert.equal(await storage.rooms.get(soon.room.id), undefined);
      assert.equal((await storage.outbox.get('c2:cooldown'))?.state, 'pending');
      assert.equal(
        await storage.ledger.commitCall('c3', call('c3', 'eva', 1_070_000).write, 1_070_000),
        'created',
      );
      const third = call('c4', 'raul', 1_080_000);
      assert.equal(await storage.ledger.commitCall('c4', third.write, 1_080_000), 'too-many');
      assert.equal(await storage.outbox.get('c4:ok'), undefined);
      await storage.close();
    });

    it('lets one call through of many committed at the same moment when one is left', async () => {
      const { storage } = await open();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const r = createRoom({
            nowMs: 5,
            ttlSeconds: 60,
            owners: [{ waId: 'ana' }, { waId: `p${i}` }],
          }).room;
          const guard = {
            creator: 'ana',
            aliases: [],
            line: 'main',
            sinceMs: 0,
            maxCalls: 1,
            invitee: `p${i}`,
            pairSinceMs: 0,
          };
          const none = { rooms: [], messages: [] };
          return storage.ledger.commitCall(
            `same-${i}`,
            {
              guard,
              effects: { rooms: [r], messages: [] },
              refusals: { 'too-many': none, 'pair-cooldown': none },
            },
            5,
          );
        }),
      );
      assert.equal(outcomes.filter((outcome) => outcome === 'created').length, 1);
      assert.equal(await storage.rooms.countCreatedBy('ana', 0, 'main'), 1);
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

    it('holds messages a dead process left half-sent until a status confirms them or the wait passes', async () => {
      const { storage } = await open();
      await storage.ledger.commit('in-1', { rooms: [], messages: [message('m1'), message('m2')] }, 1);
      await storage.outbox.claimDue(1, 10);
      assert.equal(await storage.outbox.recoverInterrupted(100, 7), 2);
      assert.equal((await storage.outbox.get('m1'))?.state, 'unconfirmed');
      assert.deepEqual(await storage.outbox.claimDue(99, 10), [], 'nothing is sent again before the wait');
      await storage.outbox.recordStatus({ wamid: 'wamid.M1', correlationId: 'm1', status: 'sent' }, 50);
      const m1 = await storage.outbox.get('m1');
      assert.equal(m1?.state, 'sent');
      assert.equal(m1?.wamid, 'wamid.M1');
      const again = await storage.outbox.claimDue(100, 10);
      assert.deepEqual(
        again.map((entry) => [entry.id, entry.attempts]),
        [['m2', 2]],
      );
      await storage.close();
    });

    it('records delivery reports by correlation id or wamid, never going back (read beats a late delivered)', async () => {
      const { storage } = await open();
      await storage.ledger.commit('in-1', { rooms: [], messages: [invitation('m1')] }, 1);
      await storage.outbox.claimDue(1, 1);
      await storage.outbox.markSent('m1', 'wamid.M1', 2);
      const read = await storage.outbox.recordStatus({ wamid: 'wamid.M1', status: 'read' }, 3);
      assert.equal(read?.changed, true);
      const late = await storage.outbox.recordStatus(
        { wamid: 'wamid.M1', correlationId: 'm1', status: 'delivered' },
        4,
      );
      assert.equal(late?.changed, false);
      const duplicate = await storage.outbox.recordStatus({ wamid: 'wamid.M1', status: 'read' }, 5);
      assert.equal(duplicate?.changed, false);
      assert.equal((await storage.outbox.get('m1'))?.delivery, 'read');
      assert.deepEqual((await storage.outbox.get('m1'))?.context, invitation('m1').context);
      assert.equal(
        await storage.outbox.recordStatus({ wamid: 'wamid.UNKNOWN', status: 'sent' }, 6),
        undefined,
      );
      await storage.close();
    });

    it('records a failure report once, with its error code', async () => {
      const { storage } = await open();
      await storage.ledger.commit('in-1', { rooms: [], messages: [invitation('m1')] }, 1);
      await storage.outbox.claimDue(1, 1);
      await storage.outbox.markSent('m1', 'wamid.M1', 2);
      const failed = await storage.outbox.recordStatus(
        { wamid: 'wamid.M1', status: 'failed', errorCode: 131047 },
        3,
      );
      assert.equal(failed?.changed, true);
      assert.equal(failed?.entry.deliveryError, 131047);
      const again = await storage.outbox.recordStatus(
        { wamid: 'wamid.M1', status: 'failed', errorCode: 131047 },
        4,
      );
      assert.equal(again?.changed, false);
      await storage.close();
    });

    it('remembers when each person last wrote (the latest time winning) and the language they chose', async () => {
      const { storage } = await open();
      await storage.ledger.commit(
        'in-1',
        { rooms: [], messages: [], inbound: { person: 'p1', line: 'main', atMs: 500 } },
        1,
      );
      await storage.ledger.commit(
        'in-2',
        { rooms: [], messages: [], inbound: { person: 'p1', line: 'main', atMs: 300 } },
        2,
      );
      assert.deepEqual(await storage.people.get('p1', 'main'), { lastInboundAtMs: 500, language: undefined });
      assert.equal(await storage.people.get('p2', 'main'), undefined);
      await storage.ledger.commit(
        'in-3',
        { rooms: [], messages: [], inbound: { person: 'p1', line: 'main', atMs: 600, language: 'en' } },
        3,
      );
      await storage.ledger.commit(
        'in-4',
        { rooms: [], messages: [], inbound: { person: 'p1', line: 'main', atMs: 700 } },
        4,
      );
      assert.deepEqual(await storage.people.get('p1', 'main'), { lastInboundAtMs: 700, language: 'en' });
      // A window and a language are a person's on one line: writing to another number opens nothing here.
      assert.equal(await storage.people.get('p1', 'norte'), undefined);
      await storage.ledger.commit(
        'in-5',
        { rooms: [], messages: [], inbound: { person: 'p1', line: 'norte', atMs: 800, language: 'es' } },
        5,
      );
      assert.deepEqual(await storage.people.get('p1', 'norte'), { lastInboundAtMs: 800, language: 'es' });
      assert.deepEqual(await storage.people.get('p1', 'main'), { lastInboundAtMs: 700, language: 'en' });
      await storage.close();
    });

    it('counts a person’s calls under their number and their user id together', async () => {
      const { storage } = await open();
      const earlier = createRoom({
        nowMs: 1_000,
        ttlSeconds: 60,
        owners: [{ waId: 'ana' }, { waId: 'luis' }],
      });
      await storage.ledger.commit('in-1', { rooms: [earlier.room], messages: [] }, 1);
      const none = { rooms: [], messages: [] };
      const attempt = (id: string, invitee: string, limits: { maxCalls: number; pairSinceMs: number }) => {
        const room = createRoom({
          nowMs: 2_000,
          ttlSeconds: 60,
          owners: [{ waId: 'CO.ana' }, { waId: invitee }],
        });
        const guard = { creator: 'CO.ana', aliases: ['ana'], line: 'main', sinceMs: 0, invitee, ...limits };
        const refusals = { 'too-many': none, 'pair-cooldown': none };
        return storage.ledger.commitCall(
          id,
          { guard, effects: { rooms: [room.room], messages: [] }, refusals },
          2,
        );
      };
      assert.equal(await attempt('c1', 'eva', { maxCalls: 1, pairSinceMs: 0 }), 'too-many');
      assert.equal(await attempt('c2', 'luis', { maxCalls: 5, pairSinceMs: 500 }), 'pair-cooldown');
      assert.equal(await attempt('c3', 'eva', { maxCalls: 2, pairSinceMs: 500 }), 'created');
      await storage.close();
    });

    it('links a person’s number and user id: their window and language follow them under either', async () => {
      const { storage } = await open();
      const inbound = (person: string, atMs: number, extra: object = {}) => ({
        rooms: [],
        messages: [],
        inbound: { person, line: 'main', atMs, ...extra },
      });
      await storage.ledger.commit('in-1', inbound('573001112233', 100, { language: 'en' }), 1);
      assert.equal(await storage.people.linked('573001112233', 'main'), undefined);
      // A message that carries both: from then on they are one person.
      await storage.ledger.commit('in-2', inbound('CO.1349120865', 200, { number: '573001112233' }), 2);
      assert.equal(await storage.people.linked('573001112233', 'main'), 'CO.1349120865');
      assert.equal(await storage.people.linked('CO.1349120865', 'main'), '573001112233');
      assert.equal(await storage.people.linked('CO.1349120865', 'norte'), undefined, 'a link is a line’s');
      // Later messages come by user id only (a username): found by number too, with the language chosen before.
      await storage.ledger.commit('in-3', inbound('CO.1349120865', 300), 3);
      const expected = { lastInboundAtMs: 300, language: 'en' };
      assert.deepEqual(await storage.people.get('573001112233', 'main'), expected);
      assert.deepEqual(await storage.people.get('CO.1349120865', 'main'), expected);
      await storage.close();
    });

    it('counts the rooms a person asked for, and when they last asked for one with someone', async () => {
      const { storage } = await open();
      const owners = [{ waId: 'ana' }, { waId: 'luis' }] as const;
      const first = createRoom({ nowMs: 1_000, ttlSeconds: 60, owners }).room;
      const second = createRoom({ nowMs: 5_000, ttlSeconds: 60, owners }).room;
      await storage.ledger.commit('in-1', { rooms: [first, second], messages: [] }, 1);
      assert.equal(await storage.rooms.countCreatedBy('ana', 0, 'main'), 2);
      assert.equal(await storage.rooms.countCreatedBy('ana', 2_000, 'main'), 1);
      assert.equal(await storage.rooms.countCreatedBy('luis', 0, 'main'), 0);
      assert.equal(await storage.rooms.lastCreatedAtMs('ana', 'luis', 'main'), 5_000);
      assert.equal(await storage.rooms.lastCreatedAtMs('luis', 'ana', 'main'), undefined);
      // Limits are a line's: calls asked for on another number do not count here.
      const elsewhere = createRoom({ nowMs: 6_000, ttlSeconds: 60, owners, line: 'norte' }).room;
      await storage.ledger.commit('in-2', { rooms: [elsewhere], messages: [] }, 2);
      assert.equal(await storage.rooms.countCreatedBy('ana', 0, 'main'), 2);
      assert.equal(await storage.rooms.countCreatedBy('ana', 0, 'norte'), 1);
      assert.equal(await storage.rooms.lastCreatedAtMs('ana', 'luis', 'norte'), 6_000);
      assert.equal((await storage.rooms.get(elsewhere.id))?.line, 'norte');
      await storage.close();
    });

    it('keeps API keys (their hash only), revokes them, and the answers to idempotent requests', async () => {
      const { storage } = await open();
      const { record } = createApiKey({ name: 'crm', scopes: ['read'], lines: ['norte'], nowMs: 5 });
      await storage.apiKeys.insert(record);
      assert.deepEqual(await storage.apiKeys.get(record.id), record);
      assert.deepEqual(await storage.apiKeys.list(), [record]);
      assert.equal(await storage.apiKeys.revoke(record.id, 9), true);
      assert.equal(await storage.apiKeys.revoke(record.id, 10), false);
      assert.equal((await storage.apiKeys.get(record.id))?.revokedAtMs, 9);
      const apiRequest = {
        keyId: record.id,
        idempotencyKey: 'k-1',
        bodyHash: 'h',
        answer: { id: 'call', n: [1] },
      };
      const call = room(0, 60);
      assert.equal(
        await storage.ledger.commit('api:k-1', { rooms: [call], messages: [], apiRequest }, 100),
        true,
      );
      assert.deepEqual(await storage.apiKeys.findRequest(record.id, 'k-1'), apiRequest);
      assert.equal(await storage.apiKeys.findRequest(record.id, 'k-2'), undefined);
      assert.equal(await storage.apiKeys.pruneRequests(101), 1);
      assert.equal(await storage.apiKeys.findRequest(record.id, 'k-1'), undefined);
      await storage.close();
    });

    it('cancels a live room once, and pages rooms of some lines newest first', async () => {
      const { storage } = await open();
      const owners = [{ waId: 'ana' }, { waId: 'luis' }] as const;
      const made = [1, 2, 2, 3].map(
        (at, i) =>
          createRoom({ nowMs: at * 1_000, ttlSeconds: 60, owners, line: i === 3 ? 'norte' : 'main' }).room,
      );
      const withDetails = {
        ...(made[0] as Room),
        apiKeyId: 'key-1',
        metadata: { ticket: 7 },
        notSent: { guest: 'outside_window' },
      };
      await storage.ledger.commit('in-1', { rooms: [withDetails, ...made.slice(1)], messages: [] }, 1);
      assert.deepEqual(await storage.rooms.get(withDetails.id), withDetails);
      const page1 = await storage.rooms.list({ lines: ['main'], limit: 2 });
      const last = page1.at(-1) as Room;
      const page2 = await storage.rooms.list({
        lines: ['main'],
        limit: 2,
        after: { createdAtMs: last.createdAtMs, id: last.id },
      });
      assert.deepEqual(
        [...page1, ...page2].map((r) => r.createdAtMs),
        [2_000, 2_000, 1_000],
      );
      assert.equal(new Set([...page1, ...page2].map((r) => r.id)).size, 3);
      assert.deepEqual((await storage.rooms.list({ lines: ['main', 'norte'], limit: 10 })).length, 4);
      assert.equal(await storage.rooms.cancel(withDetails.id, 30_000), true);
      assert.equal(await storage.rooms.cancel(withDetails.id, 31_000), false, 'once');
      assert.equal((await storage.rooms.get(withDetails.id))?.cancelledAtMs, 30_000);
      assert.equal(await storage.rooms.cancel((made[1] as Room).id, 70_000), false, 'not once expired');
      // Expired by 63 s, not cancelled, in order of expiry then id, after a given one.
      const expired = await storage.rooms.expiredBetween({ expiresAtMs: 0, id: '' }, 63_000, 10);
      assert.deepEqual(
        expired.map((r) => r.id),
        made
          .slice(1)
          .map((r) => r.id)
          .sort((a, b) => (a < b ? -1 : 1))
          .sort(
            (a, b) =>
              (made.find((r) => r.id === a)?.expiresAtMs ?? 0) -
              (made.find((r) => r.id === b)?.expiresAtMs ?? 0),
          ),
      );
      const first = expired[0] as Room;
      assert.deepEqual(
        (
          await storage.rooms.expiredBetween({ expiresAtMs: first.expiresAtMs, id: first.id }, 63_000, 10)
        ).map((r) => r.id),
        expired.slice(1).map((r) => r.id),
      );
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

    it('finds the newest live invitation for a person', async () => {
      const { storage } = await open();
      const owners = [{ waId: 'ana' }, { waId: 'luis' }] as const;
      const older = createRoom({ nowMs: 1_000, ttlSeconds: 60, owners }).room;
      const newer = createRoom({ nowMs: 2_000, ttlSeconds: 60, owners }).room;
      await storage.ledger.commit('in-1', { rooms: [older, newer], messages: [] }, 1);
      assert.equal((await storage.rooms.latestInvitationFor('luis', 3_000, 'main'))?.id, newer.id);
      assert.equal(await storage.rooms.latestInvitationFor('ana', 3_000, 'main'), undefined, 'only invitees');
      assert.equal(
        await storage.rooms.latestInvitationFor('luis', 62_000, 'main'),
        undefined,
        'only live rooms',
      );
      await storage.close();
    });

    it('lists rooms where one person has waited alone since a time, until they are nudged', async () => {
      const { storage } = await open();
      const owners = [{ waId: 'ana' }, { waId: 'luis' }] as const;
      const alone = createRoom({ nowMs: 0, ttlSeconds: 3600, owners }).room;
      const both = createRoom({ nowMs: 0, ttlSeconds: 3600, owners }).room;
      const recent = createRoom({ nowMs: 0, ttlSeconds: 3600, owners }).room;
      await storage.ledger.commit('in-1', { rooms: [alone, both, recent], messages: [] }, 1);
      await storage.rooms.markJoined(alone.id, 1, 1_000);
      await storage.rooms.markJoined(alone.id, 1, 9_000);
      await storage.rooms.markJoined(both.id, 0, 1_000);
      await storage.rooms.markJoined(both.id, 1, 2_000);
      await storage.rooms.markJoined(recent.id, 0, 8_000);
      const waiting = await storage.rooms.waitingForSecondPerson(5_000, 10_000);
      assert.deepEqual(
        waiting.map((w) => [w.room.id, w.waitingSeat]),
        [[alone.id, 0]],
      );
      await storage.rooms.markNudged(alone.id, 10_000);
      assert.deepEqual(await storage.rooms.waitingForSecondPerson(5_000, 10_000), []);
      await storage.close();
    });

    it('runs a periodic job only where no other run of it is under way', async () => {
      const { storage } = await open();
      let started!: () => void;
      let finish!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const first = storage.exclusively('maintenance', async () => {
        started();
        await finished;
        return 'done';
      });
      await running;
      assert.equal(await storage.exclusively('maintenance', () => Promise.resolve('again')), undefined);
      assert.equal(await storage.exclusively('nudges', () => Promise.resolve(7)), 7, 'other jobs run');
      finish();
      assert.equal(await first, 'done');
      assert.equal(await storage.exclusively('maintenance', () => Promise.resolve('next')), 'next');
      await assert.rejects(storage.exclusively('maintenance', () => Promise.reject(new Error('failed'))));
      assert.equal(
        await storage.exclusively('maintenance', () => Promise.resolve('after')),
        'after',
        'freed',
      );
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
