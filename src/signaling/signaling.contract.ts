import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ServerMessage } from '../protocol/signaling-messages.js';
import type { SeatIndex } from '../rooms/room.js';
import { RoomSignaling, type SeatSession, type SessionSocket } from './room-signaling.js';
import { PENDING_FRAMES_LIMIT, type SignalBus } from './signal-bus.js';
import { VOICE_BRIDGE_CLIENT_PREFIX, type SignalingHub } from './signaling-hub.js';

/** A live-state backend under test: fresh, empty ports, and how to stop them. */
export interface LiveStateFixture {
  readonly hub: SignalingHub;
  readonly bus: SignalBus;
}

/** A socket that records what it is sent; `open` false models one that is closing. */
class FakeSocket implements SessionSocket {
  readonly received: ServerMessage[] = [];
  closedWith: number | undefined;
  open = true;
  send(frame: string): boolean {
    if (!this.open) return false;
    this.received.push(JSON.parse(frame) as ServerMessage);
    return true;
  }
  close(code: number): void {
    this.closedWith = code;
    this.open = false;
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
const offerFrom = (session: SeatSession) =>
  `${session.relayPrefix}"type":"description","description":{"type":"offer","sdp":"sdp-${session.sessionId}"}}`;
const offer = (sessionId: string): ServerMessage => ({
  type: 'description',
  sessionId,
  description: { type: 'offer', sdp: `sdp-${sessionId}` },
});

/** Waits for deliveries that a shared bus makes asynchronously; an in-process one has made them already. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 2_000; !check();) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The behaviour every live-state backend must have, through the ports and the seating built on them. Each
 * adapter's test file runs this suite against a real instance of its backend.
 */
export function signalingContract(
  backend: string,
  open: () => Promise<LiveStateFixture>,
  { instances = 1 }: { instances?: number } = {},
): void {
  /** The closes of what each test opened: run after it, even when it failed (a connection left open hangs the run). */
  const opened: (() => Promise<unknown>)[] = [];
  async function start() {
    // Several instances sharing the backend, behind a round-robin balancer: each join lands on the next one.
    const all: RoomSignaling[] = [];
    for (let i = 0; i < instances; i++) {
      const { hub, bus } = await open();
      all.push(new RoomSignaling(hub, bus));
    }
    let joins = 0;
    const join = async (seat: SeatIndex, clientId: string, sessionId: string, socket = new FakeSocket()) => ({
      socket,
      session: await (all[joins++ % all.length] as RoomSignaling).join(
        { roomId: ROOM, seat },
        { clientId, sessionId },
        socket,
        welcome,
      ),
    });
    const first = all[0] as RoomSignaling;
    let closing: Promise<unknown> | undefined;
    const close = () => (closing ??= Promise.all(all.map((instance) => instance.close())));
    opened.push(close);
    const signaling = {
      close,
      /** Waits for every instance's published frames to be delivered or kept. */
      flush: () => Promise.all(all.map((instance) => instance.bus.flush())),
    };
    return { hub: first.hub, bus: first.bus, signaling, join };
  }

  describe(`${backend} live signaling state${instances > 1 ? `, ${instances} instances` : ''}`, () => {
    afterEach(() => Promise.allSettled(opened.splice(0).map((close) => close())));

    it('welcomes a seat with the other person’s session and tells the other one', async () => {
      const { join, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      const b = await join(1, 'tab-b', 'load-b');
      await until(() => a.socket.received.length === 2, 'peer-joined');
      assert.deepEqual(a.socket.received, [welcome(null), { type: 'peer-joined', sessionId: 'load-b' }]);
      assert.deepEqual(b.socket.received, [welcome('load-a')]);
      await signaling.close();
    });

    it('relays to the other seat only, the frame as it was written', async () => {
      const { join, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      const b = await join(1, 'tab-b', 'load-b');
      a.session.relay(offerFrom(a.session));
      await until(() => b.socket.types().includes('description'), 'the offer');
      assert.deepEqual(b.socket.received.at(-1), offer('load-a'));
      assert.equal(a.socket.types().includes('description'), false);
      await signaling.close();
    });

    it('keeps frames for a seat that is not connected yet, and delivers them after its welcome', async () => {
      const { join, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      a.session.relay(offerFrom(a.session));
      const b = await join(1, 'tab-b', 'load-b');
      await until(() => b.socket.received.length === 2, 'the waiting offer');
      assert.deepEqual(b.socket.received, [welcome('load-a'), offer('load-a')]);
      await signaling.close();
    });

    it('keeps frames that reach a socket while it is closing, for its return', async () => {
      const { join, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      const b1 = await join(1, 'tab-b', 'load-b');
      b1.socket.open = false;
      a.session.relay(offerFrom(a.session));
      await b1.session.leave('lost');
      const b2 = await join(1, 'tab-b', 'load-b');
      await until(() => b2.socket.types().includes('description'), 'the kept offer');
      assert.deepEqual(b2.socket.types(), ['joined', 'description']);
      await signaling.close();
    });

    it('keeps frames while a socket reconnects with the same page load', async () => {
      const { join, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      const b1 = await join(1, 'tab-b', 'load-b');
      await b1.session.leave('lost');
      await until(() => a.socket.types().includes('peer-left'), 'peer-left');
      assert.deepEqual(a.socket.received.at(-1), { type: 'peer-left', reason: 'lost' });
      a.session.relay(offerFrom(a.session));
      const b2 = await join(1, 'tab-b', 'load-b');
      await until(() => b2.socket.received.length === 2, 'the kept offer');
      assert.deepEqual(b2.socket.types(), ['joined', 'description']);
      await signaling.close();
    });

    it('drops frames meant for an old page load when the seat comes back as a new one', async () => {
      const { join, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      const b1 = await join(1, 'tab-b', 'load-b1');
      await b1.session.leave('lost');
      a.session.relay(offerFrom(a.session));
      const b2 = await join(1, 'tab-b', 'load-b2');
      await until(() => a.socket.types().filter((t) => t === 'peer-joined').length === 2, 'peer-joined');
      assert.deepEqual(b2.socket.types(), ['joined']);
      assert.deepEqual(a.socket.received.at(-1), { type: 'peer-joined', sessionId: 'load-b2' });
      await signaling.close();
    });

    it('lets a reloaded tab take its seat back at once, closing the old socket', async () => {
      const { join, hub, signaling } = await start();
      const old = await join(0, 'tab-a', 'load-1');
      assert.equal(await hub.admission(ROOM, 0, 'tab-a'), 'takeover');
      await join(0, 'tab-a', 'load-2');
      await until(() => old.socket.closedWith !== undefined, 'the old socket closed');
      assert.equal(old.socket.closedWith, 4001);
      assert.equal(old.socket.received.at(-1)?.type, 'error');
      // The old socket's close arrives later and must not free the seat the new one holds.
      await old.session.leave('lost');
      assert.equal(await hub.isConnected(ROOM, 0), true);
      await signaling.close();
    });

    it("lets the person's page take their seat over from a WhatsApp voice call", async () => {
      const { join, hub, signaling } = await start();
      const voice = await join(
        1,
        `${VOICE_BRIDGE_CLIENT_PREFIX}call-1`,
        `${VOICE_BRIDGE_CLIENT_PREFIX}load-1`,
      );
      assert.equal(await hub.admission(ROOM, 1, 'tab-b'), 'takeover');
      await join(1, 'tab-b', 'load-b');
      await until(() => voice.socket.closedWith !== undefined, 'the voice call displaced');
      assert.equal(voice.socket.closedWith, 4001);
      await signaling.close();
    });

    it('refuses a second tab or device on a held seat, and admits anyone to a free one', async () => {
      const { join, hub, signaling } = await start();
      assert.equal(await hub.admission(ROOM, 0, 'tab-a'), 'free');
      await join(0, 'tab-a', 'load-a');
      assert.equal(await hub.admission(ROOM, 0, 'tab-x'), 'taken');
      assert.equal(await hub.admission(ROOM, 1, 'tab-x'), 'free');
      await signaling.close();
    });

    it('after a hang-up, tells the other person and forgets what was waiting', async () => {
      const { join, hub, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      const b = await join(1, 'tab-b', 'load-b');
      b.socket.open = false;
      a.session.relay(offerFrom(a.session));
      b.socket.open = true;
      await a.session.leave('hangup');
      await until(() => b.socket.types().includes('peer-left'), 'peer-left');
      assert.deepEqual(b.socket.received.at(-1), { type: 'peer-left', reason: 'hangup' });
      assert.equal(await hub.isConnected(ROOM, 0), false);
      await b.session.leave('lost');
      const b2 = await join(1, 'tab-b', 'load-b');
      assert.deepEqual(b2.socket.types(), ['joined']);
      await signaling.close();
    });

    it(`keeps at most ${PENDING_FRAMES_LIMIT} waiting frames, dropping the oldest`, async () => {
      const { join, signaling } = await start();
      const a = await join(0, 'tab-a', 'load-a');
      for (let i = 0; i < 300; i++) {
        a.session.relay(`${a.session.relayPrefix}"type":"candidate","candidate":{"candidate":"${i}"}}`);
      }
      await signaling.flush();
      const b = await join(1, 'tab-b', 'load-b');
      const candidates = () => b.socket.received.filter((m) => m.type === 'candidate');
      await until(() => candidates().length === PENDING_FRAMES_LIMIT, 'the kept candidates');
      assert.deepEqual(candidates()[0], {
        type: 'candidate',
        sessionId: 'load-a',
        candidate: { candidate: String(300 - PENDING_FRAMES_LIMIT) },
      });
      await signaling.close();
    });

    it('drops what a replaced socket still sends: only the seat’s current socket speaks for it', async () => {
      const { join, signaling } = await start();
      const old = await join(0, 'tab-a', 'page-load-1');
      const b = await join(1, 'tab-b', 'load-b');
      const current = await join(0, 'tab-a', 'page-load-2');
      await until(() => old.socket.closedWith !== undefined, 'the old socket closed');
      old.session.relay(offerFrom(old.session));
      // A frame from the current holder, sent after it, proves the bus had time to deliver the first.
      current.session.relay(`${current.session.relayPrefix}"type":"candidate","candidate":null}`);
      await until(() => b.socket.types().includes('candidate'), 'the current holder’s frame');
      assert.equal(b.socket.types().includes('description'), false);
      await signaling.close();
    });
  });
}
