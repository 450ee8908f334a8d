import { randomBytes } from 'node:crypto';
import type { RTCPeerConnection, RTCRtpTransceiver, RtpPacket } from 'werift';
import type { ServerMessage } from '../protocol/signaling-messages.js';
import { isPolite, type SeatIndex } from '../rooms/room.js';
import type { RoomSignaling, SeatSession } from '../signaling/room-signaling.js';
import { VOICE_BRIDGE_CLIENT_PREFIX } from '../signaling/signaling-hub.js';
import { bridgePeer, onOpus, sendCopy, type BridgeNetwork } from './bridge-peer.js';

/**
 * The WhatsApp caller's side of the room: the bridge takes their seat in the room's signaling as a page would
 * (through the hub and bus, so the other person may be on any instance) and holds one peer connection with the
 * other person's page, audio only. Each new page load of the other person gets a fresh peer connection, as a
 * page's own would. Negotiation follows the page's protocol: the impolite seat offers, the polite one answers.
 */
export class RoomLeg {
  #session: SeatSession | undefined;
  /** The welcome comes while the seat is being taken: what the leg sends waits for the session. */
  readonly #seated: Promise<SeatSession>;
  #seat: (session: SeatSession) => void = () => undefined;
  #peer: { pc: RTCPeerConnection; audio: RTCRtpTransceiver; sessionId: string } | undefined;
  #closed = false;
  /** Opus from the page, for the WhatsApp leg. */
  onAudio: (packet: RtpPacket) => void = () => undefined;
  /** The room's signaling ended this seat (hang-up by the other side's request, displaced, expired). */
  onEnded: (why: string) => void = () => undefined;

  private constructor(
    private readonly seat: SeatIndex,
    private readonly network: BridgeNetwork,
  ) {
    this.#seated = new Promise((resolve) => (this.#seat = resolve));
  }

  /** Takes the seat; the other person's page sees a participant join. */
  static async join(
    signaling: RoomSignaling,
    address: { roomId: string; seat: SeatIndex },
    network: BridgeNetwork,
  ): Promise<RoomLeg> {
    const leg = new RoomLeg(address.seat, network);
    const id = () => randomBytes(12).toString('base64url');
    const session = await signaling.join(
      address,
      { clientId: `${VOICE_BRIDGE_CLIENT_PREFIX}${id()}`, sessionId: `${VOICE_BRIDGE_CLIENT_PREFIX}${id()}` },
      {
        send: (frame) => {
          leg.#receive(JSON.parse(frame) as ServerMessage);
          return !leg.#closed;
        },
        close: (code, reason) => {
          leg.onEnded(`${code} ${reason}`);
        },
      },
      (peerSessionId) => ({
        type: 'joined',
        seat: address.seat,
        polite: isPolite(address.seat),
        peerSessionId,
        iceServers: [],
        expiresAt: 0,
      }),
    );
    leg.#session = session;
    leg.#seat(session);
    return leg;
  }

  /** The seat session's connection id (events and history are recorded once per connection). */
  get connectionId(): string {
    return this.#session?.connectionId ?? '';
  }

  /** Opus from WhatsApp, to the page. */
  sendAudio(packet: RtpPacket): void {
    if (this.#peer !== undefined) sendCopy(this.#peer.audio, packet);
  }

  /** Leaves the seat: a hang-up, so the other person's page ends the call as for any hang-up. */
  async leave(reason: 'hangup' | 'lost'): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#session?.leave(reason);
    await this.#peer?.pc.close();
    this.#peer = undefined;
  }

  #receive(message: ServerMessage): void {
    if (this.#closed) return;
    const run = (work: Promise<void>) =>
      work.catch((error: unknown) => this.onEnded(`negotiation failed: ${String(error)}`));
    switch (message.type) {
      case 'joined':
        if (message.peerSessionId !== null) void run(this.#meet(message.peerSessionId));
        return;
      case 'peer-joined':
        void run(this.#meet(message.sessionId));
        return;
      case 'description':
        void run(this.#description(message.sessionId, message.description));
        return;
      case 'candidate':
        if (message.candidate !== null && this.#peer?.sessionId === message.sessionId)
          void run(
            this.#peer.pc.addIceCandidate({
              candidate: message.candidate.candidate,
              sdpMid: message.candidate.sdpMid ?? null,
              sdpMLineIndex: message.candidate.sdpMLineIndex ?? null,
              usernameFragment: message.candidate.usernameFragment ?? null,
            }),
          );
        return;
      case 'peer-left':
        void this.#peer?.pc.close();
        this.#peer = undefined;
        // The other person hung up: the WhatsApp call ends with the room's call. A lost connection may come back.
        if (message.reason === 'hangup') this.onEnded('the other person hung up');
        return;
      case 'error':
        this.onEnded(message.code);
        return;
      default:
        return;
    }
  }

  /** A page load of the other person is there: a fresh peer connection for it; the impolite seat offers. */
  async #meet(sessionId: string): Promise<void> {
    if (this.#peer?.sessionId === sessionId) return;
    void this.#peer?.pc.close();
    // The page offers its video too: a codec to answer it with, and the section declined (inactive).
    const pc = bridgePeer(this.network, { declinesVideo: true });
    const audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
    onOpus(pc, audio, (packet) => this.onAudio(packet));
    this.#peer = { pc, audio, sessionId };
    // The page shows a phone instead of waiting for a video that will never come.
    this.#send({ type: 'peer-via', via: 'whatsapp-voice' });
    if (isPolite(this.seat)) return;
    await pc.setLocalDescription(await pc.createOffer());
    this.#send({ type: 'description', description: { type: 'offer', sdp: pc.localDescription?.sdp ?? '' } });
  }

  async #description(
    sessionId: string,
    description: { type: 'offer' | 'answer'; sdp: string },
  ): Promise<void> {
    if (this.#peer?.sessionId !== sessionId) await this.#meet(sessionId);
    const peer = this.#peer;
    if (peer === undefined) return;
    await peer.pc.setRemoteDescription(description);
    if (description.type !== 'offer') return;
    // The page's video has nowhere to go on a voice call: declined, so it is not sent at all.
    for (const transceiver of peer.pc.getTransceivers())
      if (transceiver.kind === 'video') transceiver.setDirection('inactive');
    // werift answers once every candidate is gathered: they are all in the answer.
    await peer.pc.setLocalDescription(await peer.pc.createAnswer());
    this.#send({
      type: 'description',
      description: { type: 'answer', sdp: peer.pc.localDescription?.sdp ?? '' },
    });
    this.#send({ type: 'candidate', candidate: null });
  }

  #send(message: Record<string, unknown>): void {
    void this.#seated.then((session) =>
      session.relay(JSON.stringify({ sessionId: session.sessionId, ...message })),
    );
  }
}
