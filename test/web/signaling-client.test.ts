import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { ServerMessage } from '../../src/protocol/signaling-messages.js';
import { SignalingClient, type SignalingEvents } from '../../web/signaling-client.js';

/** A WebSocket the test drives: it opens, delivers and closes when told to. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 0;
  readonly sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code: number): void {
    this.closedWith = code;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  deliver(data: unknown): void {
    this.onmessage?.({ data });
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

let sockets: FakeSocket[];
let events: { message: ServerMessage[]; reconnecting: number[]; closed: number[] };
let retry: boolean;

function client(): SignalingClient {
  const handlers: SignalingEvents = {
    message: (message) => events.message.push(message),
    reconnecting: (attempt) => events.reconnecting.push(attempt),
    closed: (code) => events.closed.push(code),
  };
  return new SignalingClient({
    url: 'wss://call.example/ws/room?client=c&session=s',
    seatKey: 'KEY',
    events: handlers,
    canRetry: () => Promise.resolve(retry),
    createSocket: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    // The shortest delay of each backoff step: half its ceiling.
    random: () => 0,
  });
}

/** Lets the retry decision (a promise) settle after the timers fired. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(() => {
  sockets = [];
  events = { message: [], reconnecting: [], closed: [] };
  retry = true;
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
});
afterEach(() => mock.timers.reset());

describe('SignalingClient', () => {
  it('opens with the protocol and the seat key as subprotocols, and passes on what the server says', () => {
    const signaling = client();
    signaling.connect();
    const [socket] = sockets;
    assert.deepEqual(socket!.protocols, ['wwb.v1', 'seat.KEY']);
    signaling.send({ type: 'refresh-ice' });
    assert.deepEqual(socket!.sent, [], 'nothing is sent before the socket is open');
    socket!.open();
    signaling.send({ type: 'refresh-ice' });
    assert.deepEqual(socket!.sent, [{ type: 'refresh-ice' }]);

    socket!.deliver('{"type":"peer-joined","sessionId":"abc12345"}');
    socket!.deliver('{"type":"pong"}');
    socket!.deliver('not json');
    socket!.deliver('{"no":"type"}');
    assert.deepEqual(events.message, [{ type: 'peer-joined', sessionId: 'abc12345' }]);
  });

  it('reconnects after a dropped socket with growing, capped backoff, and starts over once connected', async () => {
    const signaling = client();
    signaling.connect();
    sockets[0]!.drop(1006);
    assert.deepEqual(events.reconnecting, [1]);
    mock.timers.tick(249);
    assert.equal(sockets.length, 1);
    mock.timers.tick(1);
    await settle();
    assert.equal(sockets.length, 2, 'first retry after 250 ms');

    // Each further failure waits twice as long, up to 5–10 s.
    const waits: number[] = [];
    for (let attempt = 2; attempt <= 7; attempt++) {
      sockets.at(-1)!.drop(1006);
      let waited = 0;
      const before = sockets.length;
      while (sockets.length === before) {
        mock.timers.tick(50);
        waited += 50;
        await settle();
      }
      waits.push(waited);
    }
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 5000, 5000]);

    sockets.at(-1)!.open();
    sockets.at(-1)!.drop(1006);
    mock.timers.tick(250);
    await settle();
    assert.equal(events.reconnecting.at(-1), 1, 'a connection that opened resets the backoff');
    signaling.stop();
  });

  it('gives up for good on the close codes that mean the link is no longer valid', () => {
    for (const code of [4001, 4403, 4404, 4409, 4410]) {
      const signaling = client();
      signaling.connect();
      sockets.at(-1)!.drop(code);
      assert.equal(events.closed.at(-1), code);
    }
    mock.timers.tick(60_000);
    assert.equal(sockets.length, 5, 'no reconnection');
    assert.deepEqual(events.reconnecting, []);
  });

  it('stops retrying when the room API says the link is no longer valid', async () => {
    retry = false;
    const signaling = client();
    signaling.connect();
    sockets[0]!.drop(1006);
    mock.timers.tick(250);
    await settle();
    assert.deepEqual(events.closed, [1006]);
    assert.equal(sockets.length, 1);
  });

  it('pings every 10 s, and lets a silent socket go after 25 s to start a new one', async () => {
    const signaling = client();
    signaling.connect();
    const first = sockets[0]!;
    first.open();
    mock.timers.tick(10_000);
    assert.deepEqual(first.sent, [{ type: 'ping' }]);
    first.deliver('{"type":"pong"}');
    mock.timers.tick(20_000);
    assert.equal(first.closedWith, undefined, 'answered 20 s ago: still alive');
    mock.timers.tick(10_000);
    assert.equal(first.closedWith, 4000, 'nothing heard for 30 s: let go');
    assert.deepEqual(events.reconnecting, [1]);
    mock.timers.tick(250);
    await settle();
    assert.equal(sockets.length, 2);
    // The old socket's late close is not a second failure.
    first.drop(1006);
    assert.deepEqual(events.reconnecting, [1]);
    signaling.stop();
  });

  it('says goodbye on leave and never reconnects afterwards', () => {
    const signaling = client();
    signaling.connect();
    sockets[0]!.open();
    signaling.leave();
    assert.deepEqual(sockets[0]!.sent, [{ type: 'leave' }]);
    assert.equal(sockets[0]!.closedWith, 1000);
    sockets[0]!.drop(1000);
    mock.timers.tick(60_000);
    assert.equal(sockets.length, 1);
    assert.deepEqual(events.reconnecting, []);
  });
});
