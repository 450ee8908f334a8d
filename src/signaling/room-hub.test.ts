import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerMessage } from '../protocol/signaling-messages.js';
import { RoomHub, type SignalingConnection } from './room-hub.js';

class FakeConnection implements SignalingConnection {
  readonly received: ServerMessage[] = [];
  closedWith: number | undefined;
  constructor(
    readonly clientId: string,
    readonly sessionId: string,
  ) {}
  send(message: ServerMessage): void {
    this.received.push(message);
  }
  close(code: number): void {
    this.closedWith = code;
  }
  types(): string[] {
    return this.received.map((m) => m.type);
  }
}

const ROOM = 'room-1';
const welcome = (peerSessionId: string | null): ServerMessage => ({
  type: 'joined',
  seat: 0,
  polite: false,
  peerSessionId,
  iceServers: [],
  expiresAt: 0,
});
const offer = (sessionId: string): ServerMessage => ({
  type: 'description',
  sessionId,
  description: { type: 'offer', sdp: `sdp-${sessionId}` },
});

describe('RoomHub', () => {
  it('welcomes a seat with the other person’s session and tells the other one', () => {
    const hub = new RoomHub();
    const a = new FakeConnection('tab-a', 'load-a');
    const b = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 0, a, welcome);
    hub.join(ROOM, 1, b, welcome);
    assert.deepEqual(a.received, [welcome(null), { type: 'peer-joined', sessionId: 'load-b' }]);
    assert.deepEqual(b.received, [welcome('load-a')]);
  });

  it('relays to the other seat only', () => {
    const hub = new RoomHub();
    const a = new FakeConnection('tab-a', 'load-a');
    const b = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 0, a, welcome);
    hub.join(ROOM, 1, b, welcome);
    hub.relay(ROOM, 0, a, offer('load-a'));
    assert.deepEqual(b.received.at(-1), offer('load-a'));
    assert.equal(a.received.filter((m) => m.type === 'description').length, 0);
  });

  it('keeps messages for a seat that is not connected yet, and delivers them after its welcome', () => {
    const hub = new RoomHub();
    const a = new FakeConnection('tab-a', 'load-a');
    hub.join(ROOM, 0, a, welcome);
    hub.relay(ROOM, 0, a, offer('load-a'));
    const b = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 1, b, welcome);
    assert.deepEqual(b.received, [welcome('load-a'), offer('load-a')]);
  });

  it('keeps messages while a socket reconnects with the same page load', () => {
    const hub = new RoomHub();
    const a = new FakeConnection('tab-a', 'load-a');
    const b1 = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 0, a, welcome);
    hub.join(ROOM, 1, b1, welcome);
    hub.leave(ROOM, 1, b1, 'lost');
    assert.deepEqual(a.received.at(-1), { type: 'peer-left', reason: 'lost' });
    hub.relay(ROOM, 0, a, offer('load-a'));
    const b2 = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 1, b2, welcome);
    assert.deepEqual(b2.types(), ['joined', 'description']);
  });

  it('drops messages meant for an old page load when the seat comes back as a new one', () => {
    const hub = new RoomHub();
    const a = new FakeConnection('tab-a', 'load-a');
    const b1 = new FakeConnection('tab-b', 'load-b1');
    hub.join(ROOM, 0, a, welcome);
    hub.join(ROOM, 1, b1, welcome);
    hub.leave(ROOM, 1, b1, 'lost');
    hub.relay(ROOM, 0, a, offer('load-a'));
    const b2 = new FakeConnection('tab-b', 'load-b2');
    hub.join(ROOM, 1, b2, welcome);
    assert.deepEqual(b2.types(), ['joined']);
    assert.deepEqual(a.received.at(-1), { type: 'peer-joined', sessionId: 'load-b2' });
  });

  it('lets a reloaded tab take its seat back at once, closing the old socket', () => {
    const hub = new RoomHub();
    const old = new FakeConnection('tab-a', 'load-1');
    hub.join(ROOM, 0, old, welcome);
    assert.equal(hub.admission(ROOM, 0, 'tab-a'), 'takeover');
    const reloaded = new FakeConnection('tab-a', 'load-2');
    hub.join(ROOM, 0, reloaded, welcome);
    assert.equal(old.closedWith, 4001);
    assert.equal(old.received.at(-1)?.type, 'error');
    // The old socket's close arrives later and must not free the seat the new one holds.
    hub.leave(ROOM, 0, old, 'lost');
    assert.equal(hub.isConnected(ROOM, 0), true);
  });

  it('refuses a second tab or device on a held seat, and admits anyone to a free one', () => {
    const hub = new RoomHub();
    assert.equal(hub.admission(ROOM, 0, 'tab-a'), 'free');
    hub.join(ROOM, 0, new FakeConnection('tab-a', 'load-a'), welcome);
    assert.equal(hub.admission(ROOM, 0, 'tab-x'), 'taken');
    assert.equal(hub.admission(ROOM, 1, 'tab-x'), 'free');
  });

  it('after a hang-up, tells the other person and forgets what was waiting', () => {
    const hub = new RoomHub();
    const a = new FakeConnection('tab-a', 'load-a');
    const b = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 0, a, welcome);
    hub.join(ROOM, 1, b, welcome);
    hub.leave(ROOM, 0, a, 'hangup');
    assert.deepEqual(b.received.at(-1), { type: 'peer-left', reason: 'hangup' });
    assert.equal(hub.isConnected(ROOM, 0), false);
  });

  it('keeps at most 256 waiting messages, dropping the oldest', () => {
    const hub = new RoomHub();
    const a = new FakeConnection('tab-a', 'load-a');
    hub.join(ROOM, 0, a, welcome);
    for (let i = 0; i < 300; i++) {
      hub.relay(ROOM, 0, a, { type: 'candidate', sessionId: 'load-a', candidate: { candidate: String(i) } });
    }
    const b = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 1, b, welcome);
    const candidates = b.received.filter((m) => m.type === 'candidate');
    assert.equal(candidates.length, 256);
    assert.deepEqual(candidates[0], {
      type: 'candidate',
      sessionId: 'load-a',
      candidate: { candidate: '44' },
    });
  });

  it('drops what a replaced socket still sends: only the seat’s current socket speaks for it', () => {
    const hub = new RoomHub();
    const old = new FakeConnection('tab-a', 'page-load-1');
    const b = new FakeConnection('tab-b', 'load-b');
    hub.join(ROOM, 0, old, welcome);
    hub.join(ROOM, 1, b, welcome);
    hub.join(ROOM, 0, new FakeConnection('tab-a', 'page-load-2'), welcome);
    hub.relay(ROOM, 0, old, offer('page-load-1'));
    assert.equal(b.received.filter((m) => m.type === 'description').length, 0);
  });
});
