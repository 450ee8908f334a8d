import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { RefusedUpgrade, seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { eventually, startApp, testConfig } from '../helpers/test-app.js';
import { scaleOutServers } from '../servers/scale-out-servers.js';

// Two instances of the service on one PostgreSQL and one Redis, as behind a round-robin balancer: the two
// people of a room on different instances.

const servers = scaleOutServers();

async function twoInstances(t: TestContext) {
  const env = { DATABASE_URL: await servers.postgres().createDatabase(), REDIS_URL: servers.redis().url };
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

  it('recovers by itself when Redis restarts mid-call: seats held again, frames relayed again', async (t) => {
    const [one, two] = await twoInstances(t);
    const { room, seatKeys } = await seedRoom(one);
    const ana = await TestPeer.connect(one, room.id, seatKeys[0]);
    await ana.next('joined');
    const luis = await TestPeer.connect(two, room.id, seatKeys[1]);
    await luis.next('joined');
    await servers.redis().stop();
    await servers.redis().start();
    // Redis came back empty: each instance writes back the seats its sockets hold.
    const api = (app: typeof one, key: string) =>
      app.inject({ url: `/api/rooms/${room.id}`, headers: { authorization: `Bearer ${key}` } });
    await eventually(async () => (await api(one, seatKeys[1])).json().peerPresent === true, {
      timeoutMs: 10_000,
      what: 'Ana’s seat held again',
    });
    await eventually(async () => (await api(two, seatKeys[0])).json().peerPresent === true, {
      timeoutMs: 10_000,
      what: 'Luis’s seat held again',
    });
    await assert.rejects(TestPeer.connect(two, room.id, seatKeys[0]), RefusedUpgrade);
    ana.send({ type: 'description', description: { type: 'offer', sdp: 'v=0 after the restart' } });
    const offer = await eventually(
      () =>
        luis.received.find((m) => m.type === 'description' && m.description.sdp === 'v=0 after the restart'),
      { timeoutMs: 10_000, what: 'the offer relayed after the restart' },
    );
    assert.ok(offer);
    ana.socket.close();
    luis.socket.close();
  });
});
