import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { OutgoingMessage } from '../../whatsapp/outbox/outbox.js';
import type { Storage } from '../storage.js';
import { InstanceConflictError } from './postgres-instances.js';
import { startPostgres, type PostgresServer } from '../../../test/servers/postgres-server.js';
import { storageContract } from '../storage.contract.js';
import { historyContract } from '../../history/call-history.contract.js';
import { bookedRoomsContract } from '../booked-rooms.contract.js';
import { openPostgresStorage } from './postgres-storage.js';
import { createRoom } from '../../rooms/room.js';
import type { Line } from '../../config.js';
import { runReminders } from '../../whatsapp/invitations/reminders.js';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(() => server.close());

storageContract(
  'PostgreSQL',
  async () => {
    const url = await server.createDatabase();
    const storage = await openPostgresStorage({ url });
    return {
      storage,
      reopen: async () => {
        await storage.close();
        return openPostgresStorage({ url });
      },
    };
  },
  { durable: true },
);

bookedRoomsContract('PostgreSQL', async () => ({
  storage: await openPostgresStorage({ url: await server.createDatabase() }),
}));

historyContract('PostgreSQL', async () => {
  const storage = await openPostgresStorage({ url: await server.createDatabase() });
  return {
    ledger: storage.ledger,
    history: storage.history,
    operator: storage.operator,
    close: () => storage.close(),
  };
});

describe('PostgreSQL storage shared by several instances', () => {
  it('sends a booked call’s reminders once when every instance runs the job at the same moment', async () => {
    const url = await server.createDatabase();
    const instances = await Promise.all([1, 2, 3].map(() => openPostgresStorage({ url, instance })));
    const [first] = instances;
    const startsAtMs = 10 * 3_600_000;
    const { room } = createRoom({
      nowMs: 1_000,
      ttlSeconds: 3600,
      owners: [{ waId: '573001112233' }, { waId: '573004445566' }],
      startsAtMs,
    });
    const links = ['https://call.example/room/a#k=1', 'https://call.example/room/a#k=2'] as const;
    await first!.ledger.commit('in-1', { rooms: [{ ...room, links }], messages: [] }, 1_000);
    for (const person of ['573001112233', '573004445566'])
      await first!.ledger.commit(
        `hi-${person}`,
        { rooms: [], messages: [], inbound: { person, line: 'main', atMs: startsAtMs - 3_600_000 } },
        startsAtMs - 3_600_000,
      );
    const line = { id: 'main', language: undefined, timeZone: undefined } as unknown as Line;
    const runs = await Promise.all(
      [...instances, ...instances].map((storage) =>
        runReminders(storage, [line], 600_000, startsAtMs - 600_000),
      ),
    );
    assert.equal(
      runs.reduce((sum, queued) => sum + queued, 0),
      2,
    );
    const queued = await first!.outbox.claimDue(Number.MAX_SAFE_INTEGER, 10);
    assert.deepEqual(queued.map((entry) => entry.to).sort(), ['573001112233', '573004445566']);
    await Promise.all(instances.map((storage) => storage.close()));
  });

  const instance = { sharedLiveState: true, now: Date.now };
  const message = (id: string): OutgoingMessage => ({
    id,
    kind: 'reply',
    line: 'main',
    to: '573004445566',
    content: { type: 'text', text: { body: id } },
  });

  it('hands each due message to one instance only, however many claim at once', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([
      openPostgresStorage({ url, instance }),
      openPostgresStorage({ url, instance }),
    ]);
    const ids = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await a.ledger.commit('in-1', { rooms: [], messages: ids.map(message) }, 1);
    const claimed: string[] = [];
    const claimAll = async (storage: Storage) => {
      for (;;) {
        const batch = await storage.outbox.claimDue(10, 8);
        if (batch.length === 0) return;
        claimed.push(...batch.map((entry) => entry.id));
      }
    };
    await Promise.all([claimAll(a), claimAll(b), claimAll(a), claimAll(b)]);
    assert.equal(claimed.length, 200);
    assert.deepEqual(new Set(claimed), new Set(ids));
    await Promise.all([a.close(), b.close()]);
  });

  it('takes over the sends of an instance that stopped beating, and only then', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([
      openPostgresStorage({ url, instance }),
      openPostgresStorage({ url, instance }),
    ]);
    await a.ledger.commit('in-1', { rooms: [], messages: [message('m1'), message('m2')] }, 1);
    await a.outbox.claimDue(10, 10);
    const nowMs = Date.now();
    assert.equal(await b.outbox.recoverInterrupted(nowMs + 60_000, nowMs), 0, 'a is alive: its sends go on');
    // a's process dies: its heartbeat stops (its row stays, as after a SIGKILL).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('UPDATE instances SET heartbeat_at = 0');
    await client.end();
    assert.equal(await b.outbox.recoverInterrupted(nowMs + 60_000, nowMs), 2);
    assert.equal((await b.outbox.get('m1'))?.state, 'unconfirmed');
    await Promise.all([a.close(), b.close()]);
  });

  it('lets instances with shared live state join one another, and refuses one without', async () => {
    const url = await server.createDatabase();
    const first = await openPostgresStorage({ url, instance });
    const second = await openPostgresStorage({ url, instance });
    await assert.rejects(
      openPostgresStorage({ url, instance: { sharedLiveState: false, now: Date.now } }),
      InstanceConflictError,
    );
    await Promise.all([first.close(), second.close()]);
    // Once the others have left, a single instance needs no shared live state.
    const alone = await openPostgresStorage({ url, instance: { sharedLiveState: false, now: Date.now } });
    await alone.close();
  });
});
