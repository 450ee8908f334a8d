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
  #queue: Promise<unknown> = Promise.resolve();
  #ignoreOffer = false;
  readonly #remoteStream = new MediaStream();

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
    this.pc.ontrack = ({ track, streams }) => {
      // The sender's stream carries both tracks; a track sent without one (recvonly peer) is gathered here.
      const stream = streams[0] ?? this.#remoteStream;
      if (!stream.getTracks().includes(track)) stream.addTrack(track);
      options.onRemoteStream(stream);
    };
    this.pc.onconnectionstatechange = () => options.onStateChange(this.pc.connectionState);
    this.pc.oniceconnectionstatechange = () => {
      if (this.pc.iceConnectionState === 'failed') this.pc.restartIce();
    };
  }

  /** Applies the other side's description; calls are queued so a candidate never overtakes its offer. */
  handleDescription(description: SessionDescription): Promise<void> {
    return this.#inOrder(async () => {
      const offerCollision =
        description.type === 'offer' && (this.#makingOffer || this.pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.options.polite && offerCollision;
      if (this.#ignoreOffer) return;
      await this.pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        await this.pc.setLocalDescription();
        this.#sendDescription();
      }
    });
  }

  handleCandidate(candidate: IceCandidate | null): Promise<void> {
    return this.#inOrder(async () => {
      try {
        await this.pc.addIceCandidate(candidate === null ? undefined : toRtcCandidate(candidate));
      } catch (error) {
        // Candidates of an offer we ignored (glare, impolite side) are expected to fail.
        if (!this.#ignoreOffer) throw error;
      }
    });
  }

  close(): void {
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  #inOrder(operation: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(operation);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #sendDescription(): void {
    const local = this.pc.localDescription;
    if (local !== null && (local.type === 'offer' || local.type === 'answer')) {
      this.options.send({ type: 'description', description: { type: local.type, sdp: local.sdp } });
    }
  }
}
