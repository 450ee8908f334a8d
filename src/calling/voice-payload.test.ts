import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom } from '../rooms/room.js';
import { readVoicePayload, voiceCallLink, voicePayload, voicePayloadValid } from './voice-payload.js';

describe('voice-call payload', () => {
  const { room, seatKeys } = createRoom({ nowMs: 0, ttlSeconds: 60, owners: [{}, {}] });
  const payload = voicePayload(room.id, 1, room.seats[1].keyHash);

  it('names the room and seat, and is checked with the seat key hash the store keeps', () => {
    const read = readVoicePayload(payload);
    assert.ok(read);
    assert.equal(read.roomId, room.id);
    assert.equal(read.seat, 1);
    assert.equal(voicePayloadValid(read, room.seats[1].keyHash), true);
    assert.ok(payload.length <= 512, 'within what a button payload holds');
    for (const key of seatKeys) assert.equal(payload.includes(key), false, 'never the seat key');
  });

  it('refuses a payload for the other seat, another room or with a changed signature', () => {
    const read = readVoicePayload(payload);
    assert.ok(read);
    assert.equal(voicePayloadValid({ ...read, seat: 0 }, room.seats[0].keyHash), false);
    assert.equal(voicePayloadValid(read, room.seats[0].keyHash), false);
    const tampered = readVoicePayload(payload.slice(0, -1) + (payload.endsWith('A') ? 'B' : 'A'));
    assert.ok(tampered);
    assert.equal(voicePayloadValid(tampered, room.seats[1].keyHash), false);
    for (const other of ['', 'promo', `wwbv1.${room.id}.2.${'A'.repeat(22)}`, `${payload}x`])
      assert.equal(readVoicePayload(other), undefined, other);
  });

  it('makes the wa.me/call link with the payload as biz_payload', () => {
    const link = new URL(voiceCallLink('573005550100', payload));
    assert.equal(link.origin + link.pathname, 'https://wa.me/call/573005550100');
    assert.equal(link.searchParams.get('biz_payload'), payload);
  });
});
