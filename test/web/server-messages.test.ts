import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerMessage } from '../../src/protocol/signaling-messages.js';
import { knownErrorCode, parseServerMessage } from '../../web/server-messages.js';

const valid: ServerMessage[] = [
  {
    type: 'joined',
    seat: 1,
    polite: true,
    peerSessionId: null,
    iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }, { urls: 'stun:x' }],
    expiresAt: 1,
  },
  { type: 'peer-joined', sessionId: 's' },
  { type: 'peer-left', reason: 'lost' },
  { type: 'description', sessionId: 's', description: { type: 'offer', sdp: 'v=0' } },
  { type: 'candidate', sessionId: 's', candidate: { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 } },
  { type: 'candidate', sessionId: 's', candidate: null },
  { type: 'ice-servers', iceServers: [] },
  { type: 'pong' },
  { type: 'error', code: 'SEAT_REPLACED', message: 'm' },
];

describe('parseServerMessage', () => {
  it('accepts every message the server sends', () => {
    for (const message of valid) assert.deepEqual(parseServerMessage(JSON.stringify(message)), message);
  });

  it('drops what is not a server message: wrong fields, unknown types, not JSON, not text', () => {
    const invalid = [
      { type: 'joined', seat: 2, polite: true, peerSessionId: null, iceServers: [], expiresAt: 1 },
      { type: 'joined', seat: 0, polite: 'yes', peerSessionId: null, iceServers: [], expiresAt: 1 },
      { type: 'joined', seat: 0, polite: true, peerSessionId: null, iceServers: [{ urls: 5 }], expiresAt: 1 },
      { type: 'peer-joined' },
      { type: 'peer-left', reason: 'bored' },
      { type: 'description', sessionId: 's', description: { type: 'pranswer', sdp: '' } },
      { type: 'description', description: { type: 'offer', sdp: '' } },
      { type: 'candidate', sessionId: 's', candidate: { sdpMid: '0' } },
      { type: 'candidate', sessionId: 's', candidate: { candidate: 'c', sdpMLineIndex: 0.5 } },
      { type: 'error', code: 7, message: 'm' },
      { type: 'toString' },
      { type: 'dance' },
      ['pong'],
      null,
    ];
    for (const message of invalid) assert.equal(parseServerMessage(JSON.stringify(message)), undefined);
    assert.equal(parseServerMessage('{"type":'), undefined);
    assert.equal(parseServerMessage(new ArrayBuffer(4)), undefined);
  });
});

describe('knownErrorCode', () => {
  it('keeps a code the page can explain, and makes any other INTERNAL', () => {
    const known = { ROOM_EXPIRED: 'x', INTERNAL: 'y' };
    assert.equal(knownErrorCode('ROOM_EXPIRED', known), 'ROOM_EXPIRED');
    assert.equal(knownErrorCode('SOMETHING_NEW', known), 'INTERNAL');
    assert.equal(knownErrorCode('__proto__', known), 'INTERNAL');
    assert.equal(knownErrorCode(undefined, known), 'INTERNAL');
  });
});
