import type {
  ClientMessage,
  IceCandidate,
  IceServerConfig,
  SessionDescription,
} from '../src/protocol/signaling-messages.js';

function toRtcIceServer({ urls, username, credential }: IceServerConfig): RTCIceServer {
  return {
    urls: typeof urls === 'string' ? urls : [...urls],
    ...(username !== undefined && { username }),
    ...(credential !== undefined && { credential }),
  };
}

function toRtcCandidate({
  candidate,
  sdpMid,
  sdpMLineIndex,
  usernameFragment,
}: IceCandidate): RTCIceCandidateInit {
  return {
    candidate,
    sdpMid: sdpMid ?? null,
    sdpMLineIndex: sdpMLineIndex ?? null,
    ...(usernameFragment != null && { usernameFragment }),
  };
}

export interface PeerLinkOptions {
  /** The other person's page load this connection negotiates with. */
  readonly peerSessionId: string;
  readonly polite: boolean;
  readonly iceServers: readonly IceServerConfig[];
  readonly localStream: MediaStream | undefined;
  readonly send: (message: ClientMessage) => void;
  readonly onRemoteStream: (stream: MediaStream) => void;
  readonly onStateChange: (state: RTCPeerConnectionState) => void;
}

/**
 * One RTCPeerConnection with the MDN "perfect negotiation" pattern: either side may offer at any time; on a
 * collision the polite side (chosen by the server) rolls back and the impolite side ignores the other's offer.
 * No DOM here: the page decides what to show.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly peerSessionId: string;
  #makingOffer = false;
  #ignoreOffer = false;
  #remoteStream = new MediaStream();

  constructor(private readonly options: PeerLinkOptions) {
    this.peerSessionId = options.peerSessionId;
    this.pc = new RTCPeerConnection({
      iceServers: options.iceServers.map(toRtcIceServer),
      bundlePolicy: 'max-bundle',
    });
    const tracks = options.localStream?.getTracks() ?? [];
    for (const track of tracks) this.pc.addTrack(track, options.localStream as MediaStream);
    // Without a camera or microphone, still ask for the other person's media (no one-way calls).
    for (const kind of ['audio', 'video'] as const) {
      if (!tracks.some((t) => t.kind === kind)) this.pc.addTransceiver(kind, { direction: 'recvonly' });
    }

    this.pc.onnegotiationneeded = async () => {
      try {
        this.#makingOffer = true;
        await this.pc.setLocalDescription();
        this.#sendDescription();
      } catch (error) {
        console.warn('negotiation failed', error);
      } finally {
        this.#makingOffer = false;
      }
    };
    this.pc.onicecandidate = ({ candidate }) => {
      options.send({
        type: 'candidate',
        candidate: candidate === null ? null : (candidate.toJSON() as IceCandidate),
      });
    };
    this.pc.ontrack = ({ track }) => {
      this.#remoteStream.addTrack(track);
      options.onRemoteStream(this.#remoteStream);
    };
    this.pc.onconnectionstatechange = () => options.onStateChange(this.pc.connectionState);
    this.pc.oniceconnectionstatechange = () => {
      if (this.pc.iceConnectionState === 'failed') this.pc.restartIce();
    };
  }

  async handleDescription(description: SessionDescription): Promise<void> {
    const offerCollision =
      description.type === 'offer' && (this.#makingOffer || this.pc.signalingState !== 'stable');
    this.#ignoreOffer = !this.options.polite && offerCollision;
    if (this.#ignoreOffer) return;
    await this.pc.setRemoteDescription(description);
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      this.#sendDescription();
    }
  }

  async handleCandidate(candidate: IceCandidate | null): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate === null ? undefined : toRtcCandidate(candidate));
    } catch (error) {
      if (!this.#ignoreOffer) throw error;
    }
  }

  close(): void {
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  #sendDescription(): void {
    const local = this.pc.localDescription;
    if (local !== null && (local.type === 'offer' || local.type === 'answer')) {
      this.options.send({ type: 'description', description: { type: local.type, sdp: local.sdp } });
    }
  }
}
