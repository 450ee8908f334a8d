import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom, hashSeatKey, isExpired, isPolite, roomIdSchema, roomLink, seatForKey } from './room.js';

const owners = [{ waId: '573001112233', name: 'Ana' }, { waId: '573004445566' }] as const;

describe('room', () => {
  it('has a 128-bit URL-safe id and two distinct 128-bit seat keys', () => {
    const { room, seatKeys } = createRoom({ nowMs: 0, ttlSeconds: 60, owners });
    for (const token of [room.id, ...seatKeys]) {
      assert.match(token, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(Buffer.from(token, 'base64url').length, 16);
    }
    assert.notEqual(seatKeys[0], seatKeys[1]);
    assert.ok(roomIdSchema.safeParse(room.id).success);
  });

  it('never repeats ids', () => {
    const ids = new Set(
      Array.from({ length: 2000 }, () => createRoom({ nowMs: 0, ttlSeconds: 60, owners }).room.id),
    );
    assert.equal(ids.size, 2000);
  });

  it('keeps only hashes of the seat keys, and who sits where', () => {
    const { room, seatKeys } = createRoom({ nowMs: 0, ttlSeconds: 60, owners });
    assert.deepEqual(room.seats, [
      { keyHash: hashSeatKey(seatKeys[0]), waId: '573001112233', name: 'Ana' },
      { keyHash: hashSeatKey(seatKeys[1]), waId: '573004445566' },
    ]);
    assert.ok(!JSON.stringify(room).includes(seatKeys[0]));
  });

  it('finds the seat a key opens, and none for a wrong key', () => {
    const { room, seatKeys } = createRoom({ nowMs: 0, ttlSeconds: 60, owners });
    assert.equal(seatForKey(room, seatKeys[0]), 0);
    assert.equal(seatForKey(room, seatKeys[1]), 1);
    assert.equal(seatForKey(room, 'A'.repeat(22)), undefined);
    assert.equal(seatForKey(room, ''), undefined);
  });

  it('expires after its time to live', () => {
    const { room } = createRoom({ nowMs: 1_000, ttlSeconds: 60, owners });
    assert.equal(isExpired(room, 60_999), false);
    assert.equal(isExpired(room, 61_000), true);
  });

  it('makes the invited seat the polite peer, whoever connects first', () => {
    assert.equal(isPolite(0), false);
    assert.equal(isPolite(1), true);
  });

  it('puts the seat key in the fragment of the link, which browsers never send to servers', () => {
    const url = new URL(roomLink('https://call.example.com', 'ROOM', 'KEY'));
    assert.equal(url.pathname, '/room/ROOM');
    assert.equal(url.search, '');
    assert.equal(url.hash, '#k=KEY');
  });
});
