import type { RTCPeerConnection, RTCRtpTransceiver, RtpPacket } from 'werift';
import { answerSdpProblems, forWhatsApp } from './answer-sdp.js';
import { bridgePeer, onOpus, sendCopy, type BridgeNetwork } from './bridge-peer.js';

/**
 * The WhatsApp side of a bridged call: a peer connection answering the caller's offer (WhatsApp is ICE-lite and
 * offers `a=setup:actpass`; we answer active, with every candidate in the answer since Meta takes no trickle).
 */
export class WhatsAppLeg {
  /** Opus from WhatsApp, for the room. */
  onAudio: (packet: RtpPacket) => void = () => undefined;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly audio: RTCRtpTransceiver,
    /** The SDP answer for `pre_accept` and `accept` (the same for both). */
    readonly answer: string,
  ) {}

  /** Answers WhatsApp's offer; throws when the answer would not be one WhatsApp accepts. */
  static async answer(offer: string, network: BridgeNetwork): Promise<WhatsAppLeg> {
    const pc = bridgePeer(network);
    // Before the offer is applied, or the answer would only receive.
    const audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
    // The track arrives while the offer is applied: listened for before.
    let forward: (packet: RtpPacket) => void = () => undefined;
    onOpus(pc, audio, (packet) => forward(packet));
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      const answer = forWhatsApp(pc.localDescription?.sdp ?? '');
      const problems = answerSdpProblems(answer);
      if (problems.length > 0) throw new Error(`our SDP answer lacks: ${problems.join(', ')}`);
      const leg = new WhatsAppLeg(pc, audio, answer);
      forward = (packet) => leg.onAudio(packet);
      return leg;
    } catch (error) {
      await pc.close();
      throw error;
    }
  }

  /** Opus from the room, to WhatsApp. */
  sendAudio(packet: RtpPacket): void {
    sendCopy(this.audio, packet);
  }

  /**
   * Calls `lost` once if the media does not connect within `timeoutMs` of now, or fails after it did: a call
   * WhatsApp's side cannot reach (a wrong public address) is ended instead of holding the seat in silence.
   */
  watch(timeoutMs: number, lost: (why: string) => void): void {
    let done = false;
    const fire = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unSubscribe();
      lost(why);
    };
    const timer = setTimeout(() => {
      if (this.pc.connectionState !== 'connected') fire('did not connect');
    }, timeoutMs);
    timer.unref();
    const { unSubscribe } = this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') clearTimeout(timer);
      else if (state === 'failed') fire('failed');
    });
  }

  close(): Promise<void> {
    return this.pc.close();
  }
}
