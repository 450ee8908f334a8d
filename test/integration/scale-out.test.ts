import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { RefusedUpgrade, seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { startApp, testConfig } from '../helpers/test-app.js';
import { startPostgres, type PostgresServer } from '../servers/postgres-server.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';

// Two instances of the service on one PostgreSQL and one Redis, as behind a round-robin balancer: the two
// people of a room on different instances.

let postgres: PostgresServer;
let redis: RedisServer;
before(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
});
after(async () => {
  await Promise.all([postgres.close(), redis.stop()]);
});

async function twoInstances(t: TestContext) {
  const env = { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url };
  const apps = [];
  for (let i = 0; i < 2; i++) {
    const app = await startApp(t, testConfig(env));
    await app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(app);
  }
  return apps as [(typeof apps)[0], (typeof apps)[0]];
}

describe('several instances (DATABASE_URL + REDIS_URL)', () => {
  it('answers for any room on any instance, and relays between people on different instances', async (t) => {
    const [one, two] = await twoInstances(t);
    const { room, seatKeys } = await seedRoom(one);
    for (const app of [one, two]) {
      const response = await app.inject({
        url: `/api/rooms/${room.id}`,
        headers: { authorization: `Bearer ${seatKeys[1]}` },
      });
      assert.equal(response.statusCode, 200);
    }
    const ana = await TestPeer.connect(one, room.id, seatKeys[0]);
    await ana.next('joined');
    const luis = await TestPeer.connect(two, room.id, seatKeys[1]);
    const welcome = await luis.next('joined');
    assert.notEqual(
      welcome.peerSessionId,
      null,
      'Luis is told Ana is there, though she is on the other instance',
    );
    await ana.next('peer-joined');
    ana.send({ type: 'description', description: { type: 'offer', sdp: 'v=0 offer' } });
    assert.deepEqual((await luis.next('description')).description, { type: 'offer', sdp: 'v=0 offer' });
    luis.send({ type: 'description', description: { type: 'answer', sdp: 'v=0 answer' } });
    assert.deepEqual((await ana.next('description')).description, { type: 'answer', sdp: 'v=0 answer' });
    // A third person on either instance is refused: the seat is held, wherever.
    for (const app of [one, two]) {
      await assert.rejects(TestPeer.connect(app, room.id, seatKeys[1]), (error: unknown) => {
        return error instanceof RefusedUpgrade && error.code === 'SEAT_TAKEN';
      });
    }
    ana.socket.close();
    luis.socket.close();
  });

  it('lets a reload that lands on the other instance take the seat back, closing the old socket', async (t) => {
    const [one, two] = await twoInstances(t);
    const { room, seatKeys } = await seedRoom(one);
    const ids = { client: 'tab-of-ana' };
    const first = await TestPeer.connect(one, room.id, seatKeys[0], { ...ids, session: 'page-load-1' });
    await first.next('joined');
    const again = await TestPeer.connect(two, room.id, seatKeys[0], { ...ids, session: 'page-load-2' });
    await again.next('joined');
    assert.equal(await first.closed(), 4001);
    const luis = await TestPeer.connect(one, room.id, seatKeys[1]);
    assert.equal((await luis.next('joined')).peerSessionId, 'page-load-2');
    again.socket.close();
    luis.socket.close();
  });
});
