import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorCode } from '../../src/errors.js';
import type { ClientMessage, ServerMessage } from '../../src/protocol/signaling-messages.js';
import { CallSession, type SessionLink } from '../../web/call-session.js';
import type { PeerLinkOptions } from '../../web/peer-link.js';
import type { PeerMessage } from '../../web/peer-messages.js';
import type { SignalingClientOptions } from '../../web/signaling-client.js';

/** A peer connection the test drives: it records what it is asked, and changes state when told. */
class FakeLink {
  readonly descriptions: unknown[] = [];
  readonly candidates: unknown[] = [];
  readonly peerSent: PeerMessage[] = [];
  restartedWith: unknown;
  closed = false;
  readonly pc = { connectionState: 'new' as RTCPeerConnectionState };
  constructor(readonly options: PeerLinkOptions) {}
  get peerSessionId() {
    return this.options.peerSessionId;
  }
  handleDescription(description: unknown) {
    this.descriptions.push(description);
    return Promise.resolve();
  }
  handleCandidate(candidate: unknown) {
    this.candidates.push(candidate);
    return Promise.resolve();
  }
  restart(iceServers: unknown) {
    this.restartedWith = iceServers;
  }
  close() {
    this.closed = true;
  }
  sendPeer(message: PeerMessage) {
    this.peerSent.push(message);
  }
  replaceTrack() {
    return Promise.resolve();
  }
  path() {
    return Promise.resolve('relay' as const);
  }
  capVideoBitrate() {
    return Promise.resolve();
  }
  becomes(state: RTCPeerConnectionState) {
    this.pc.connectionState = state;
    this.options.onStateChange(state);
  }
}

function setup(options: { checkRoom?: () => Promise<{ ok: true } | { ok: false; code: ErrorCode }> } = {}) {
  const links: FakeLink[] = [];
  const sent: ClientMessage[] = [];
  const events: string[] = [];
  const ended: ErrorCode[] = [];
  let signaling: SignalingClientOptions | undefined;
  let left = false;
  let stopped = false;
  let clock = 1_000;
  const timers: { run: () => void; at: number }[] = [];
  const session = new CallSession({
    url: 'ws://x/ws/room',
    seatKey: 'key',
    iceTransportPolicy: 'all',
    localStream: () => undefined,
    checkRoom: options.checkRoom ?? (() => Promise.resolve({ ok: true })),
    now: () => clock,
    timers: {
      set: (run, ms) => {
        timers.push({ run, at: clock + ms });
        return timers.length as unknown as ReturnType<typeof setTimeout>;
      },
      clear: (handle) => {
        const timer = timers[(handle as unknown as number) - 1];
        if (timer !== undefined) timer.run = () => undefined;
      },
    },
    events: {
      status: (status) => events.push(`status:${status}`),
      connectivity: () => undefined,
      newLink: () => events.push('newLink'),
      remoteStream: () => events.push('remoteStream'),
      connected: () => events.push('connected'),
      channelOpen: () => events.push('channelOpen'),
      peerVia: (via) => events.push(`via:${via}`),
      peerArrived: () => events.push('arrived'),
      peerMessage: (message) => events.push(`peer:${message.t}`),
      linkDropped: () => events.push('linkDropped'),
      peerHungUp: () => events.push('peerHungUp'),
      ended: (code) => ended.push(code),
    },
    createSignaling: (signalingOptions) => {
      signaling = signalingOptions;
      return {
        connect: () => undefined,
        send: (message) => sent.push(message),
        leave: () => {
          left = true;
        },
        stop: () => {
          stopped = true;
        },
      };
    },
    createLink: (linkOptions) => {
      const link = new FakeLink(linkOptions);
      links.push(link);
      return link as unknown as SessionLink;
    },
  });
  session.join(500);
  const server = (message: ServerMessage) => signaling?.events.message(message);
  const joined = (peerSessionId: string | null, expiresAt = 10_000_000): ServerMessage => ({
    type: 'joined',
    seat: 0,
    polite: false,
    peerSessionId,
    iceServers: [{ urls: 'stun:127.0.0.1' }],
    expiresAt,
  });
  return {
    session,
    links,
    sent,
    events,
    ended,
    server,
    joined,
    signaling: () => signaling as SignalingClientOptions,
    left: () => left,
    stopped: () => stopped,
    /** Moves the clock on, running the timers that fall due. */
    tick: (ms: number) => {
      clock += ms;
      for (const timer of timers.filter((t) => t.at <= clock)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.run();
      }
    },
  };
}

describe('CallSession', () => {
  it('waits alone, then connects to the page load that joins, with the ICE servers it was given', () => {
    const { links, events, server, joined } = setup();
    server(joined(null));
    assert.deepEqual(events, ['status:waiting']);
    server({ type: 'peer-joined', sessionId: 'luis-1' });
    assert.equal(links.length, 1);
    assert.equal(links[0]?.peerSessionId, 'luis-1');
    assert.deepEqual(links[0]?.options.iceServers, [{ urls: 'stun:127.0.0.1' }]);
    // Someone waiting alone is told they came (a chime), once.
    assert.deepEqual(events.slice(1), ['arrived', 'newLink', 'status:connecting']);
  });

  it('shows a person who joined by WhatsApp voice, told by their current page load only', () => {
    const { events, server, joined } = setup();
    server(joined('whatsapp-1'));
    server({ type: 'peer-via', sessionId: 'whatsapp-0', via: 'whatsapp-voice' });
    assert.equal(events.includes('via:whatsapp-voice'), false);
    server({ type: 'peer-via', sessionId: 'whatsapp-1', via: 'whatsapp-voice' });
    assert.equal(events.filter((event) => event === 'via:whatsapp-voice').length, 1);
  });

  it('passes descriptions and candidates only to the connection with the page load they came from', () => {
    const { links, server, joined } = setup();
    server(joined('luis-1'));
    server({ type: 'description', sessionId: 'luis-0', description: { type: 'offer', sdp: 'old' } });
    server({ type: 'description', sessionId: 'luis-1', description: { type: 'offer', sdp: 'new' } });
    server({ type: 'candidate', sessionId: 'luis-0', candidate: null });
    server({ type: 'candidate', sessionId: 'luis-1', candidate: null });
    assert.deepEqual(links[0]?.descriptions, [{ type: 'offer', sdp: 'new' }]);
    assert.deepEqual(links[0]?.candidates, [null]);
  });

  it('starts a new connection when the other person reloads, and keeps it when their socket only reconnects', () => {
    const { links, events, server, joined } = setup();
    server(joined('luis-1'));
    server({ type: 'peer-joined', sessionId: 'luis-1' });
    assert.equal(links.length, 1);
    server({ type: 'peer-joined', sessionId: 'luis-2' });
    assert.equal(links.length, 2);
    assert.equal(links[0]?.closed, true);
    // They were there when this page joined, and a reload is no arrival: no chime.
    assert.equal(events.includes('arrived'), false);
  });

  it('reports a connection once, timed from the Join tap for the first one, with its path', async () => {
    const { links, sent, events, server, joined, tick } = setup();
    server(joined('luis-1'));
    tick(700);
    links[0]?.becomes('connected');
    links[0]?.becomes('connected');
    await Promise.resolve();
    assert.deepEqual(
      sent.filter((m) => m.type === 'connected'),
      [{ type: 'connected', setupMs: 1_200, path: 'relay' }],
    );
    assert.ok(events.includes('status:connected') && events.includes('connected'));
  });

  it('ends the call when the other person hangs up, told by the server or over the data channel', () => {
    const first = setup();
    first.server(first.joined('luis-1'));
    first.server({ type: 'peer-left', reason: 'hangup' });
    assert.equal(first.links[0]?.closed, true);
    assert.deepEqual(first.events.slice(-2), ['linkDropped', 'peerHungUp']);
    const second = setup();
    second.server(second.joined('luis-1'));
    second.links[0]?.options.onPeerMessage({ t: 'bye' });
    assert.deepEqual(second.events.slice(-2), ['linkDropped', 'peerHungUp']);
    second.links[0]?.options.onPeerMessage({ t: 'chat', text: 'hola' });
    assert.equal(second.events.at(-1), 'peer:chat');
  });

  it('says the other person was lost only while no media flows between them', () => {
    const { links, events, server, joined } = setup();
    server(joined('luis-1'));
    links[0]?.becomes('connected');
    server({ type: 'peer-left', reason: 'lost' });
    assert.equal(events.includes('status:peerLost'), false);
    links[0]?.becomes('disconnected');
    server({ type: 'peer-left', reason: 'lost' });
    assert.equal(events.at(-1), 'status:peerLost');
  });

  it('is down while the server is away only if no media connection carries the call', () => {
    const { session, links, server, joined, signaling } = setup();
    server(joined('luis-1'));
    signaling().events.reconnecting(1);
    assert.equal(session.serverAway, true);
    assert.equal(session.reconnecting, true);
    links[0]?.becomes('connected');
    assert.equal(session.reconnecting, false);
    links[0]?.becomes('failed');
    assert.equal(session.reconnecting, true);
    server({ type: 'pong' });
    assert.equal(session.serverAway, false);
  });

  it('restarts ICE with fresh servers when told to, and asks for them when the network changes', () => {
    const { session, links, sent, server, joined } = setup();
    session.networkChanged();
    assert.equal(sent.length, 0, 'nothing to restart before a connection exists');
    server(joined('luis-1'));
    session.networkChanged();
    assert.deepEqual(sent.at(-1), { type: 'refresh-ice' });
    server({ type: 'ice-servers', iceServers: [{ urls: 'turn:127.0.0.1' }] });
    assert.deepEqual(links[0]?.restartedWith, [{ urls: 'turn:127.0.0.1' }]);
  });

  it('ends with the error a final close code means, or the one the room API gave', async () => {
    const replaced = setup();
    replaced.signaling().events.closed(4001);
    assert.deepEqual(replaced.ended, ['SEAT_REPLACED']);
    const expired = setup({ checkRoom: () => Promise.resolve({ ok: false, code: 'ROOM_EXPIRED' }) });
    assert.equal(await expired.signaling().canRetry(), false);
    expired.signaling().events.closed(1006);
    assert.deepEqual(expired.ended, ['ROOM_EXPIRED']);
    const unknown = setup();
    unknown.signaling().events.closed(1006);
    assert.deepEqual(unknown.ended, ['INTERNAL']);
  });

  it('hangs up over the data channel and the server, and lets the connection go', () => {
    const { session, links, server, joined, left } = setup();
    server(joined('luis-1'));
    session.hangUp();
    assert.deepEqual(links[0]?.peerSent, [{ t: 'bye' }]);
    assert.equal(left(), true);
    assert.equal(links[0]?.closed, true);
    assert.equal(session.link, undefined);
  });

  it('ends this side after the other person hung up, letting the seat go without a hang-up of its own', () => {
    const { session, links, server, joined, left, stopped } = setup();
    server(joined('luis-1'));
    session.end();
    assert.equal(stopped(), true);
    assert.equal(left(), false, 'the hang-up was the other person’s: it is counted once');
    assert.equal(links[0]?.closed, true);
  });

  it('says the link expired to someone still waiting alone when it does, and not before', () => {
    const { server, joined, ended, stopped, tick } = setup();
    server(joined(null, 61_000));
    tick(59_000);
    assert.deepEqual(ended, []);
    tick(1_000);
    assert.deepEqual(ended, ['ROOM_EXPIRED']);
    assert.equal(stopped(), true);
  });

  it('lets a call that is under way go on past the link’s expiry', () => {
    const { links, server, joined, ended, tick } = setup();
    server(joined('luis-1', 61_000));
    links[0]?.becomes('connected');
    tick(120_000);
    assert.deepEqual(ended, []);
  });
});
