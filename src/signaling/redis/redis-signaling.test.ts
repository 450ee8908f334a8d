import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../../../test/servers/redis-server.js';
import { signalingContract } from '../signaling.contract.js';
import { RedisConnections, redisKeys } from './redis-live-state.js';
import { RedisSignalBus } from './redis-signal-bus.js';
import { HELD_ROOM_TTL_MS, RedisSignalingHub } from './redis-signaling-hub.js';
import { eventually } from '../../../test/helpers/test-app.js';

let server: RedisServer;
before(async () => {
  server = await startRedis();
});
after(() => server.stop());

async function emptyRedis(): Promise<void> {
  const flush = new Redis(server.url);
  await flush.flushdb();
  await flush.quit();
}

async function instance() {
  const redis = await RedisConnections.open(server.url);
  return { hub: new RedisSignalingHub(redis), bus: new RedisSignalBus(redis) };
}

// Each test starts from an empty Redis, as it does from a fresh process in memory.
signalingContract('Redis', async () => {
  await emptyRedis();
  return instance();
});

// The same behaviour when the two people, and a reload, land on different instances.
let opened = 0;
signalingContract(
  'Redis',
  async () => {
    if (opened++ % 2 === 0) await emptyRedis();
    return instance();
  },
  { instances: 2 },
);

describe('Redis frames that come back to be kept', () => {
  it('drops one meant for a page load that is gone: the seat was discarded while it was on its way', async () => {
    await emptyRedis();
    const here = await instance();
    const there = await instance();
    const seat = { roomId: 'room-z', seat: 1 } as const;
    let delivered!: () => void;
    const tried = new Promise<void>((resolve) => (delivered = resolve));
    let first = true;
    // The seat's socket is closing as the frame arrives, and its new page load discards what waited.
    here.bus.subscribe(seat, {
      deliver: () => {
        if (first) here.bus.discard(seat);
        first = false;
        delivered();
        return false;
      },
      displaced: () => undefined,
    });
    there.bus.publish(seat, '{"type":"description"}', true);
    await tried;
    await here.bus.flush();
    const redis = new Redis(server.url);
    assert.equal(await redis.llen(redisKeys.pending(seat.roomId, seat.seat)), 0);
    // A frame sent after the discard, reaching the same closing socket, waits as before.
    there.bus.publish(seat, '{"type":"candidate"}', true);
    await eventually(async () => (await redis.llen(redisKeys.pending(seat.roomId, seat.seat))) === 1, {
      what: 'the newer frame kept',
    });
    await redis.quit();
    await Promise.all([here.hub.close(), there.hub.close()]);
  });
});

describe('Redis live state when an instance dies', () => {
  it('frees the seats its sockets held once its liveness key expires, on every other instance', async () => {
    await emptyRedis();
    const dying = await RedisConnections.open(server.url);
    const other = await RedisConnections.open(server.url);
    const hub = new RedisSignalingHub(other);
    await new RedisSignalingHub(dying).claim(
      { roomId: 'room-x', seat: 0 },
      { connectionId: 'c1', clientId: 'tab-1', sessionId: 'load-1' },
    );
    assert.equal(await hub.isConnected('room-x', 0), true);
    assert.equal(await hub.admission('room-x', 0, 'tab-2'), 'taken');
    // The process dies: nothing renews its key, which expires (here: at once).
    await dying.close();
    assert.equal(await hub.isConnected('room-x', 0), false);
    assert.equal(await hub.admission('room-x', 0, 'tab-2'), 'free');
    await other.close();
  });

  it('keeps the room of a call of any length: the instance holding it pushes its expiry back', async () => {
    await emptyRedis();
    const redis = await RedisConnections.open(server.url);
    const hub = new RedisSignalingHub(redis, undefined, undefined, 20);
    await hub.claim(
      { roomId: 'room-y', seat: 0 },
      { connectionId: 'c1', clientId: 'tab-1', sessionId: 'load-1' },
    );
    // As if the call had lasted almost a day: a second left.
    await redis.commands.pexpire('wwb:room:room-y', 1_000);
    await eventually(async () => (await redis.commands.pttl('wwb:room:room-y')) > HELD_ROOM_TTL_MS - 60_000, {
      what: 'the expiry pushed back',
    });
    await hub.close();
  });
});
