import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RefusedUpgrade, seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { startApp, testConfig } from '../helpers/test-app.js';

async function listeningApp(t: TestContext, deps: Parameters<typeof startApp>[2] = {}) {
  const app = await startApp(t, testConfig({ ICE_SERVERS_JSON: '[{"urls":"stun:127.0.0.1:3478"}]' }), deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

async function refusal(promise: Promise<TestPeer>): Promise<RefusedUpgrade> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RefusedUpgrade, `expected the upgrade to be refused, got ${String(error)}`);
  return error;
}

/** V8's collector, for a test of what an open socket keeps alive. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('WS /ws/:roomId', () => {
  it('lets go of the upgrade request once the socket is open (memory per idle socket)', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const upgrades: WeakRef<IncomingMessage>[] = [];
    app.server.on('upgrade', (request: IncomingMessage) => upgrades.push(new WeakRef(request)));
    const ana = await TestPeer.connect(app, room.id, seatKeys[0]);
    await ana.next('joined');
    const gc = collector();
    for (let i = 0; i < 5 && upgrades[0]?.deref() !== undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    assert.equal(upgrades.length, 1);
    assert.equal(upgrades[0]?.deref(), undefined, 'the upgrade request is still held');
    // The socket itself is untouched: it still speaks.
    const luis = await TestPeer.connect(app, room.id, seatKeys[1]);
    await luis.next('joined');
    await ana.next('peer-joined');
  });

  it('seats both people, tells each about the other, and assigns the polite role by seat', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0], { session: 'ana-load-1' });
    const joinedAna = await ana.next('joined');
    assert.deepEqual(joinedAna, {
      type: 'joined',
      seat: 0,
      polite: false,
      peerSessionId: null,
      iceServers: [{ urls: 'stun:127.0.0.1:3478' }],
      expiresAt: room.expiresAtMs,
    });
    const luis = await TestPeer.connect(app, room.id, seatKeys[1], { session: 'luis-load-1' });
    const joinedLuis = await luis.next('joined');
    assert.equal(joinedLuis.polite, true);
    assert.equal(joinedLuis.peerSessionId, 'ana-load-1');
    assert.deepEqual(await ana.next('peer-joined'), { type: 'peer-joined', sessionId: 'luis-load-1' });
  });

  it('relays descriptions and candidates, tagged with the sender’s page load', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0], { session: 'ana-load' });
    const luis = await TestPeer.connect(app, room.id, seatKeys[1]);
    await luis.next('joined');
    ana.send({ type: 'description', description: { type: 'offer', sdp: 'v=0 offer' } });
    ana.send({
      type: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' },
    });
    assert.deepEqual(await luis.next('description'), {
      type: 'description',
      sessionId: 'ana-load',
      description: { type: 'offer', sdp: 'v=0 offer' },
    });
    assert.equal((await luis.next('candidate')).sessionId, 'ana-load');
  });

  it('keeps messages sent before the other person connects', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0]);
    await ana.next('joined');
    ana.send({ type: 'description', description: { type: 'offer', sdp: 'early offer' } });
    ana.send({ type: 'ping' });
    await ana.next('pong');
    const luis = await TestPeer.connect(app, room.id, seatKeys[1]);
    assert.equal((await luis.next('description')).description.sdp, 'early offer');
    assert.equal(luis.received[0]?.type, 'joined', 'the welcome comes first');
  });

  it('tells the other person about a hang-up and closes the socket normally', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0]);
    const luis = await TestPeer.connect(app, room.id, seatKeys[1]);
    await ana.next('peer-joined');
    luis.send({ type: 'leave' });
    assert.deepEqual(await ana.next('peer-left'), { type: 'peer-left', reason: 'hangup' });
    assert.equal(await luis.closed(), 1000);
  });

  it('refuses a third person: a second tab on a held seat gets 409 SEAT_TAKEN before any socket exists', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    await TestPeer.connect(app, room.id, seatKeys[0], { client: 'tab-one-1' });
    await TestPeer.connect(app, room.id, seatKeys[1], { client: 'tab-two-2' });
    const third = await refusal(TestPeer.connect(app, room.id, seatKeys[1], { client: 'tab-three-3' }));
    assert.equal(third.status, 409);
    assert.equal(third.code, 'SEAT_TAKEN');
  });

  it('refuses a wrong or missing seat key with 403, an unknown room with 404, an expired one with 410', async (t) => {
    const app = await listeningApp(t);
    const { room } = await seedRoom(app);
    const expired = await seedRoom(app, { nowMs: Date.now() - 2 * 3600_000, ttlSeconds: 3600 });
    const cases = [
      [TestPeer.connect(app, room.id, 'A'.repeat(22)), 403, 'SEAT_KEY_INVALID'],
      [TestPeer.connect(app, room.id, undefined), 403, 'SEAT_KEY_INVALID'],
      [TestPeer.connect(app, 'B'.repeat(22), 'A'.repeat(22)), 404, 'ROOM_NOT_FOUND'],
      [TestPeer.connect(app, 'not-a-room', 'A'.repeat(22)), 404, 'ROOM_NOT_FOUND'],
      [TestPeer.connect(app, expired.room.id, expired.seatKeys[0]), 410, 'ROOM_EXPIRED'],
    ] as const;
    for (const [attempt, status, code] of cases) {
      const error = await refusal(attempt);
      assert.equal(error.status, status, code);
      assert.equal(error.code, code);
    }
  });

  it('lets a reloaded tab take its seat back at once; the old socket is told why', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const before = await TestPeer.connect(app, room.id, seatKeys[0], {
      client: 'tab-one-1',
      session: 'page-load-1',
    });
    const luis = await TestPeer.connect(app, room.id, seatKeys[1]);
    const after = await TestPeer.connect(app, room.id, seatKeys[0], {
      client: 'tab-one-1',
      session: 'page-load-2',
    });
    assert.equal((await before.next('error')).code, 'SEAT_REPLACED');
    assert.equal(await before.closed(), 4001);
    assert.equal((await after.next('joined')).peerSessionId !== null, true);
    assert.equal((await luis.next('peer-joined', 1)).sessionId, 'page-load-2');
  });

  it('answers malformed and oversized messages with coded errors and keeps the socket open', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0]);
    ana.send('{not json');
    assert.equal((await ana.next('error')).code, 'MESSAGE_INVALID');
    ana.send({ type: 'description', description: { type: 'offer', sdp: 'x'.repeat(70 * 1024) } });
    const errors = () =>
      ana.received.filter((m) => m.type === 'error').map((m) => (m as { code: string }).code);
    ana.send({ type: 'ping' });
    await ana.next('pong');
    assert.deepEqual(errors(), ['MESSAGE_INVALID', 'MESSAGE_TOO_LARGE']);
    assert.equal(ana.closeCode, undefined);
  });

  it('keeps what is relayed to a socket the server is closing (invalid UTF-8: 1007), for its page’s return', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0], { session: 'ana-load' });
    const ids = { client: 'luis-tab-1', session: 'luis-load-1' };
    const luis = await TestPeer.connect(app, room.id, seatKeys[1], ids);
    await ana.next('peer-joined');
    // Both frames reach the server in the same turn of its event loop: Ana's candidate is handled while Luis's
    // socket is closing, before the close completes (that needs a round trip to Luis).
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' };
    luis.socket.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false });
    ana.send({ type: 'candidate', candidate });
    assert.equal(await luis.closed(), 1007);
    const back = await TestPeer.connect(app, room.id, seatKeys[1], ids);
    assert.deepEqual(await back.next('candidate'), { type: 'candidate', sessionId: 'ana-load', candidate });
  });

  it('drops a socket that stops answering pings and tells the other person it was lost', async (t) => {
    const app = await listeningApp(t, { heartbeatIntervalMs: 50 });
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0]);
    const luis = await TestPeer.connect(app, room.id, seatKeys[1]);
    await ana.next('peer-joined');
    // A vanished phone: its socket stays open but nothing answers the server's pings any more.
    (
      luis.socket as unknown as { _receiver: { removeAllListeners(e: string): void } }
    )._receiver.removeAllListeners('ping');
    luis.socket.pong = () => undefined;
    assert.deepEqual(await ana.next('peer-left'), { type: 'peer-left', reason: 'lost' });
  });

  it('tells connected pages to reconnect when the server shuts down', async (t) => {
    const app = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const ana = await TestPeer.connect(app, room.id, seatKeys[0]);
    await ana.next('joined');
    await app.close();
    assert.equal((await ana.next('error')).code, 'SERVER_RESTARTING');
    assert.equal(await ana.closed(), 4503);
  });
});
