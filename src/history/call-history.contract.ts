import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom, type Room } from '../rooms/room.js';
import type { OutgoingMessage } from '../whatsapp/outbox/outbox.js';
import type { HistoryChange } from './call-history.js';
import type { SqlCallHistory } from './sql-call-history.js';
import type { MessageLedger } from '../calls/message-ledger.js';
import type { OperatorStore } from '../admin/operator-store.js';

/** What the suite needs of a backend: its ledger (which writes new calls) and its history. */
export interface HistoryFixture {
  readonly ledger: MessageLedger;
  readonly history: SqlCallHistory;
  readonly operator: OperatorStore;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2, 12);

function room(nowMs: number, line = 'main', ttlSeconds = 86_400): Room {
  return createRoom({
    nowMs,
    ttlSeconds,
    line,
    owners: [{ waId: '573001112233', name: 'Ana' }, { waId: '573004445566' }],
  }).room;
}

function invitation(r: Room, type: 'template' | 'interactive'): OutgoingMessage {
  return {
    id: `${r.id}:invite`,
    kind: 'invitation',
    line: r.line,
    to: '573004445566',
    roomId: r.id,
    content:
      type === 'template'
        ? { type: 'template', template: { name: 'invite', language: { code: 'es' } } }
        : { type: 'interactive', interactive: { type: 'cta_url' } },
  };
}

/** The dashboard's state (call history, operator sessions) on every SQL backend. */
export function historyContract(backend: string, open: () => Promise<HistoryFixture>): void {
  describe(`${backend} call history`, () => {
    let seq = 0;
    const create = async (fixture: HistoryFixture, r: Room, messages: OutgoingMessage[] = []) => {
      assert.ok(await fixture.ledger.commit(`in-${seq++}`, { rooms: [r], messages }, r.createdAtMs));
      return r;
    };
    const apply = (fixture: HistoryFixture, r: Room, atMs: number, change: HistoryChange, id?: string) =>
      fixture.history.record({ id: id ?? `${r.id}:${seq++}`, roomId: r.id, atMs, change });

    it('writes each new call with its room: masked numbers, names, how the invited person is reached', async () => {
      const fixture = await open();
      const byButton = await create(fixture, room(T0), [invitation(room(T0), 'interactive')]);
      const r2 = room(T0 + 1);
      await create(fixture, r2, [invitation(r2, 'template')]);
      const r3 = await create(fixture, room(T0 + 2));
      const r4 = room(T0 + 3);
      await create(fixture, r4, [invitation(r4, 'interactive')]);
      const page = await fixture.history.page({ fromMs: T0, toMs: T0 + DAY }, undefined, 10, T0 + 10);
      assert.deepEqual(
        page.map((call) => [call.id, call.reachedBy]),
        [
          [r4.id, 'button'],
          [r3.id, 'link'],
          [r2.id, 'template'],
          // The invitation given belongs to another room: this room's invitee was not messaged.
          [byButton.id, 'link'],
        ],
      );
      const call = page[0];
      assert.equal(call?.host, '57******2233');
      assert.equal(call?.guest, '57******5566');
      assert.equal(call?.hostName, 'Ana');
      assert.equal(call?.status, 'invited');
      assert.equal(call?.source, 'whatsapp');
      const detail = await fixture.history.call(r4.id, T0 + 10);
      assert.deepEqual(
        detail?.timeline.map((entry) => [entry.kind, entry.atMs, entry.data]),
        [['created', r4.createdAtMs, { source: 'whatsapp', reachedBy: 'button' }]],
      );
      assert.equal(await fixture.history.call('nope', T0), undefined);
      await fixture.close();
    });

    it('follows a call through invitations, joins, connection, a lost connection and the hang-up', async () => {
      const fixture = await open();
      const r = room(T0);
      await create(fixture, r, [invitation(r, 'interactive')]);
      const status = async (atMs: number) => (await fixture.history.call(r.id, atMs))?.call;
      const guest = 'guest' as const;
      assert.ok(
        await apply(fixture, r, T0 + 1_000, { kind: 'invitation', participant: guest, state: 'sent' }),
      );
      await apply(fixture, r, T0 + 3_000, { kind: 'invitation', participant: guest, state: 'read' });
      // Statuses arrive out of order: read stays read.
      await apply(fixture, r, T0 + 2_000, { kind: 'invitation', participant: guest, state: 'delivered' });
      assert.equal((await status(T0 + 3_000))?.invitations.guest, 'read');
      const joined = { kind: 'joined', browser: 'Chrome', platform: 'Android' } as const;
      await apply(fixture, r, T0 + 60_000, { ...joined, participant: 'host' });
      assert.equal((await status(T0 + 60_000))?.status, 'waiting');
      await apply(fixture, r, T0 + 90_000, {
        ...joined,
        participant: guest,
        browser: 'Safari',
        platform: 'iOS',
      });
      const connected = { kind: 'connected', participant: 'host', setupMs: 1_500, path: 'direct' } as const;
      await apply(fixture, r, T0 + 92_000, connected);
      // The other page's report: through TURN, later; the first report's time and setup stay.
      await apply(fixture, r, T0 + 93_000, {
        ...connected,
        participant: guest,
        setupMs: 2_600,
        path: 'relay',
      });
      let call = await status(T0 + 100_000);
      assert.equal(call?.status, 'in-call');
      assert.deepEqual([call?.connectedAtMs, call?.setupMs, call?.path], [T0 + 92_000, 1_500, 'relay']);
      assert.deepEqual(call?.agents.guest, { browser: 'Safari', platform: 'iOS' });
      // The guest's connection drops: the call ended then, unless they come back.
      await apply(fixture, r, T0 + 200_000, { kind: 'left', participant: guest, reason: 'lost' });
      assert.deepEqual(
        [(await status(T0 + 201_000))?.status, (await status(T0 + 201_000))?.endedBy],
        ['ended', 'lost'],
      );
      await apply(fixture, r, T0 + 210_000, { ...joined, participant: guest });
      assert.equal((await status(T0 + 211_000))?.status, 'in-call');
      const hangUp = `${r.id}:hangup`;
      assert.ok(
        await apply(
          fixture,
          r,
          T0 + 392_000,
          { kind: 'left', participant: 'host', reason: 'hangup' },
          hangUp,
        ),
      );
      // The same event again, and the other page's socket closing afterwards, change nothing.
      assert.equal(
        await apply(
          fixture,
          r,
          T0 + 400_000,
          { kind: 'left', participant: 'host', reason: 'hangup' },
          hangUp,
        ),
        false,
      );
      await apply(fixture, r, T0 + 401_000, { kind: 'left', participant: guest, reason: 'lost' });
      call = await status(T0 + 500_000);
      assert.deepEqual(
        [call?.status, call?.endedBy, call?.durationMs, call?.joinedAtMs.guest],
        ['ended', 'host', 300_000, T0 + 90_000],
      );
      const timeline = (await fixture.history.call(r.id, T0))?.timeline ?? [];
      assert.deepEqual(
        timeline.map((entry) => entry.kind),
        [
          'created',
          'invitation',
          'invitation',
          'invitation',
          'joined',
          'joined',
          'connected',
          'connected',
          'left',
          'joined',
          'left',
          'left',
        ],
      );
      await fixture.close();
    });

    it('tells failed, declined, cancelled, missed and waiting calls apart', async () => {
      const fixture = await open();
      const failed = await create(fixture, room(T0));
      await apply(fixture, failed, T0 + 1, {
        kind: 'invitation',
        participant: 'guest',
        state: 'failed',
        errorCode: 131026,
      });
      const declined = await create(fixture, room(T0 + 1));
      await apply(fixture, declined, T0 + 2, { kind: 'declined' });
      const cancelled = await create(fixture, room(T0 + 2));
      await apply(fixture, cancelled, T0 + 3, { kind: 'cancelled' });
      const missed = await create(fixture, room(T0 + 3, 'main', 60));
      const byId = new Map(
        (await fixture.history.page({ fromMs: 0, toMs: T0 + DAY }, undefined, 10, T0 + 120_000)).map(
          (call) => [call.id, call],
        ),
      );
      assert.deepEqual(
        [failed, declined, cancelled, missed].map((r) => byId.get(r.id)?.status),
        ['failed', 'declined', 'cancelled', 'missed'],
      );
      assert.equal(byId.get(failed.id)?.failureCode, 131026);
      await fixture.close();
    });

    it('counts a range per bucket, per line, with its funnel, histograms, failures and browsers', async () => {
      const fixture = await open();
      // Day 1 (local time five hours behind UTC): three calls on main, one on "ventas"; day 2: one call.
      const offsetMs = -5 * HOUR;
      const day1 = Date.UTC(2026, 10, 2, 5); // local midnight
      const a = await create(fixture, room(day1 + HOUR));
      const b = await create(fixture, room(day1 + 2 * HOUR));
      const c = await create(fixture, room(day1 + 3 * HOUR));
      const d = await create(fixture, room(day1 + 4 * HOUR, 'ventas'));
      const e = await create(fixture, room(day1 + DAY + HOUR));
      for (const [r, setupMs, minutes, path] of [
        [a, 800, 4, 'direct'],
        [b, 2_500, 40, 'relay'],
        [e, 12_000, 70, 'direct'],
      ] as const) {
        for (const participant of ['host', 'guest'] as const) {
          await apply(fixture, r, r.createdAtMs + 1, { kind: 'invitation', participant, state: 'read' });
          await apply(fixture, r, r.createdAtMs + 2, {
            kind: 'joined',
            participant,
            browser: 'Chrome',
            platform: participant === 'host' ? 'Android' : 'Windows',
          });
        }
        await apply(fixture, r, r.createdAtMs + 10, {
          kind: 'connected',
          participant: 'host',
          setupMs,
          path,
        });
        await apply(fixture, r, r.createdAtMs + 10 + minutes * 60_000, {
          kind: 'left',
          participant: 'host',
          reason: 'hangup',
        });
      }
      await apply(fixture, c, c.createdAtMs + 1, {
        kind: 'invitation',
        participant: 'guest',
        state: 'failed',
        errorCode: 131047,
      });
      await apply(fixture, d, d.createdAtMs + 1, {
        kind: 'invitation',
        participant: 'guest',
        state: 'delivered',
      });
      await apply(fixture, d, d.createdAtMs + 2, {
        kind: 'invitation',
        participant: 'host',
        state: 'failed',
        errorCode: 131026,
      });

      const stats = await fixture.history.stats({ fromMs: day1, toMs: day1 + 2 * DAY }, DAY, offsetMs);
      assert.deepEqual(stats.series, [
        { startMs: day1, created: 4, connected: 2, failed: 2 },
        { startMs: day1 + DAY, created: 1, connected: 1, failed: 0 },
      ]);
      assert.deepEqual(stats.totals, {
        created: 5,
        connected: 3,
        failed: 2,
        declined: 0,
        cancelled: 0,
        relayed: 1,
      });
      assert.deepEqual(stats.funnel, { invited: 9, sent: 7, delivered: 7, read: 6, joined: 6 });
      assert.deepEqual(stats.setup, [1, 0, 1, 0, 0, 1, 0]);
      assert.deepEqual(stats.duration, [0, 1, 0, 0, 1, 1]);
      assert.deepEqual(stats.failures, [
        { code: 131026, calls: 1 },
        { code: 131047, calls: 1 },
      ]);
      assert.deepEqual(stats.agents, [
        { browser: 'Chrome', platform: 'Android', people: 3 },
        { browser: 'Chrome', platform: 'Windows', people: 3 },
      ]);
      const ventas = await fixture.history.stats(
        { fromMs: day1, toMs: day1 + 2 * DAY, line: 'ventas' },
        HOUR,
        offsetMs,
      );
      assert.deepEqual(ventas.series, [{ startMs: d.createdAtMs, created: 1, connected: 0, failed: 1 }]);
      assert.deepEqual(ventas.failures, [{ code: 131026, calls: 1 }]);
      const dayTwo = await fixture.history.stats(
        { fromMs: day1 + DAY, toMs: day1 + 2 * DAY },
        HOUR,
        offsetMs,
      );
      assert.equal(dayTwo.totals.created, 1);
      await fixture.close();
    });

    it('says what is going on now per line, and pages the calls newest first', async () => {
      const fixture = await open();
      const waiting = await create(fixture, room(T0));
      await fixture.history.record({
        id: 'w',
        roomId: waiting.id,
        atMs: T0 + 1,
        change: { kind: 'joined', participant: 'host', browser: 'Firefox', platform: 'Linux' },
      });
      const inCall = await create(fixture, room(T0 + 1, 'ventas'));
      await apply(fixture, inCall, T0 + 2, {
        kind: 'connected',
        participant: 'guest',
        setupMs: 900,
        path: 'relay',
      });
      const expired = await create(fixture, room(T0 - 2 * DAY));
      await apply(fixture, expired, T0 - 2 * DAY + 5, {
        kind: 'connected',
        participant: 'guest',
        setupMs: 900,
        path: 'relay',
      });
      const message = {
        id: 'pending-1',
        kind: 'reply',
        line: 'ventas',
        to: '573004445566',
        content: { type: 'text', text: { body: 'x' } },
      } as const;
      await fixture.ledger.commit('in-pending', { rooms: [], messages: [message] }, T0);
      assert.deepEqual(await fixture.history.now(T0 + 10), [
        { line: 'main', waiting: 1, inCall: 0, relayed: 0, backlog: 0 },
        { line: 'ventas', waiting: 0, inCall: 1, relayed: 1, backlog: 1 },
      ]);
      const range = { fromMs: 0, toMs: T0 + DAY };
      const first = await fixture.history.page(range, undefined, 2, T0);
      assert.deepEqual(
        first.map((call) => call.id),
        [inCall.id, waiting.id],
      );
      const last = first.at(-1);
      const next = await fixture.history.page(
        range,
        last && { createdAtMs: last.createdAtMs, id: last.id },
        2,
        T0,
      );
      assert.deepEqual(
        next.map((call) => call.id),
        [expired.id],
      );
      assert.equal(await fixture.history.deleteBefore(T0 - DAY), 1);
      assert.equal(await fixture.history.call(expired.id, T0), undefined);
      assert.equal((await fixture.history.page(range, undefined, 10, T0)).length, 2);
      await fixture.close();
    });

    it('counts every change once when changes to one call arrive at the same moment', async () => {
      const fixture = await open();
      const r = await create(fixture, room(T0));
      const at = T0 + 1_000;
      const changes: HistoryChange[] = [
        { kind: 'invitation', participant: 'guest', state: 'sent' },
        { kind: 'invitation', participant: 'guest', state: 'delivered' },
        { kind: 'invitation', participant: 'guest', state: 'read' },
        { kind: 'invitation', participant: 'host', state: 'read' },
        { kind: 'joined', participant: 'host', browser: 'Chrome', platform: 'Android' },
        { kind: 'joined', participant: 'guest', browser: 'Safari', platform: 'iOS' },
        { kind: 'connected', participant: 'host', setupMs: 1_500, path: 'direct' },
        { kind: 'connected', participant: 'guest', setupMs: 1_700, path: 'relay' },
      ];
      await Promise.all(changes.map((change) => apply(fixture, r, at, change)));
      const stats = await fixture.history.stats({ fromMs: T0, toMs: T0 + HOUR }, HOUR, 0);
      assert.deepEqual(stats.totals, {
        created: 1,
        connected: 1,
        failed: 0,
        declined: 0,
        cancelled: 0,
        relayed: 1,
      });
      assert.deepEqual(stats.funnel, { invited: 2, sent: 2, delivered: 2, read: 2, joined: 2 });
      assert.deepEqual(stats.setup, [0, 1, 0, 0, 0, 0, 0]);
      assert.deepEqual(stats.agents, [
        { browser: 'Chrome', platform: 'Android', people: 1 },
        { browser: 'Safari', platform: 'iOS', people: 1 },
      ]);
      await fixture.close();
    });

    it("keeps the operator's password and sessions; a new password signs every session out", async () => {
      const fixture = await open();
      const { operator } = fixture;
      assert.equal(await operator.passwordHash(), undefined);
      await operator.setPassword('scrypt$first', T0);
      const session = await operator.createSession(T0, HOUR);
      const other = await operator.createSession(T0, HOUR);
      assert.notEqual(session.token, other.token);
      assert.deepEqual(await operator.session(session.token, T0 + 1), {
        csrfToken: session.csrfToken,
        expiresAtMs: T0 + HOUR,
      });
      assert.equal(await operator.session(session.token, T0 + HOUR), undefined, 'expired');
      assert.equal(await operator.session(`${session.token}x`, T0), undefined);
      await operator.endSession(other.token);
      assert.equal(await operator.session(other.token, T0), undefined, 'signed out');
      await operator.setPassword('scrypt$second', T0 + 2);
      assert.equal(await operator.passwordHash(), 'scrypt$second');
      assert.equal(
        await operator.session(session.token, T0 + 3),
        undefined,
        'a new password ends every session',
      );
      await fixture.close();
    });
  });
}
