import type {
  ClientMessage,
  IceCandidate,
  IceServerConfig,
  SessionDescription,
} from '../src/protocol/signaling-messages.js';
import { parsePeerMessage, type PeerMessage } from './peer-messages.js';

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

/** How long ICE may stay 'disconnected' before we restart it. */
const DISCONNECTED_GRACE_MS = 2_500;
/** 600 kbit/s: 640×480 at a good frame rate, the usual mobile default. */
const MAX_VIDEO_BITRATE_BPS = 600_000;

/** How long the polite side waits for the first offer before it offers itself (the other page may be old). */
const FIRST_OFFER_WAIT_MS = 3_000;

export interface PeerLinkOptions {
  /** The other person's page load this connection negotiates with. */
  readonly peerSessionId: string;
  readonly polite: boolean;
  readonly iceServers: readonly IceServerConfig[];
  /** 'relay' sends everything through TURN (to check a TURN server, or for privacy). */
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /** ICE failed: the owner fetches fresh ICE servers (TURN credentials expire) and calls restart(). */
  readonly onIceFailed: () => void;
  /** A message from the other page over the data channel. */
  readonly onPeerMessage: (message: PeerMessage) => void;
  /** The data channel opened: a good moment to tell the other page how our media stands. */
  readonly onChannelOpen: () => void;
  /** Gathering ended without a single candidate (relay-only with a TURN server that refused us): no route. */
  readonly onNoRoute: () => void;
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
  #mediaAdded = false;
  #channel: RTCDataChannel | undefined;
  #disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  #fallbackTimer: ReturnType<typeof setTimeout> | undefined;
  #ignoreOffer = false;
  readonly #remoteStream = new MediaStream();

  constructor(private readonly options: PeerLinkOptions) {
    this.peerSessionId = options.peerSessionId;
    this.pc = new RTCPeerConnection({
      iceServers: options.iceServers.map(toRtcIceServer),
      iceTransportPolicy: options.iceTransportPolicy,
      bundlePolicy: 'max-bundle',
    });
    // The impolite side opens the first negotiation; the polite side adds its media to the transceivers that
    // offer creates. Both offering at once works (perfect negotiation), but a rollback while candidates are
    // being gathered can leave Chromium gathering forever; this way the first exchange never collides.
    if (options.polite) {
      this.#fallbackTimer = setTimeout(() => this.#addMedia(), FIRST_OFFER_WAIT_MS);
    } else {
      this.#addMedia();
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
    let gathered = 0;
    this.pc.onicegatheringstatechange = () => {
      if (this.pc.iceGatheringState === 'complete' && gathered === 0) options.onNoRoute();
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate !== null) gathered++;
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
      const state = this.pc.iceConnectionState;
      clearTimeout(this.#disconnectedTimer);
      if (state === 'failed') options.onIceFailed();
      // 'disconnected' often heals by itself (a Wi-Fi hiccup); if it has not after a short grace, restart.
      if (state === 'disconnected')
        this.#disconnectedTimer = setTimeout(options.onIceFailed, DISCONNECTED_GRACE_MS);
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
        // The offer made transceivers for its media: ours go into them, so the answer carries them both ways.
        this.#addMedia();
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

  /** Sends a message to the other page, if the data channel is open. */
  sendPeer(message: PeerMessage): void {
    if (this.#channel?.readyState === 'open') this.#channel.send(JSON.stringify(message));
  }

  /** Whether the selected candidate pair goes through a TURN relay. */
  async path(): Promise<'direct' | 'relay'> {
    const stats = await this.pc.getStats();
    let localId: string | undefined;
    stats.forEach(
      (report: { type: string; nominated?: boolean; state?: string; localCandidateId?: string }) => {
        if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') {
          localId = report.localCandidateId;
        }
      },
    );
    const local =
      localId === undefined ? undefined : (stats.get(localId) as { candidateType?: string } | undefined);
    return local?.candidateType === 'relay' ? 'relay' : 'direct';
  }

  /** Restarts ICE with fresh servers; negotiation follows by itself (negotiationneeded). */
  restart(iceServers: readonly IceServerConfig[]): void {
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers: iceServers.map(toRtcIceServer) });
    this.pc.restartIce();
  }

  close(): void {
    clearTimeout(this.#fallbackTimer);
    clearTimeout(this.#disconnectedTimer);
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  /** Adds the local tracks once; without a camera or microphone, still asks for the other's media. */
  #addMedia(): void {
    if (this.#mediaAdded) return;
    this.#mediaAdded = true;
    clearTimeout(this.#fallbackTimer);
    // Negotiated with a fixed id on both sides, so neither has to wait for the other to announce it.
    const channel = this.pc.createDataChannel('call', { negotiated: true, id: 0 });
    channel.onopen = () => this.options.onChannelOpen();
    channel.onmessage = ({ data }) => {
      const message = parsePeerMessage(data);
      if (message !== undefined) this.options.onPeerMessage(message);
    };
    this.#channel = channel;
    const stream = this.options.localStream;
    const tracks = stream?.getTracks() ?? [];
    for (const track of tracks) this.pc.addTrack(track, stream as MediaStream);
    for (const kind of ['audio', 'video'] as const) {
      const receiving = this.pc.getTransceivers().some((t) => t.receiver.track.kind === kind);
      if (!tracks.some((t) => t.kind === kind) && !receiving)
        this.pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    this.#preferCodecs();
  }

  /**
   * VP8 and Opus first: every browser decodes them, in software where needed. Codec preferences change only
   * what we offer or answer next, so they cost no extra negotiation.
   */
  #preferCodecs(): void {
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind as 'audio' | 'video';
      const codecs = RTCRtpReceiver.getCapabilities?.(kind)?.codecs;
      if (codecs === undefined || typeof transceiver.setCodecPreferences !== 'function') continue;
      const first = kind === 'video' ? 'video/vp8' : 'audio/opus';
      const ordered = [
        ...codecs.filter((c) => c.mimeType.toLowerCase() === first),
        ...codecs.filter((c) => c.mimeType.toLowerCase() !== first),
      ];
      transceiver.setCodecPreferences(ordered);
    }
  }

  /** Caps the video we send: enough for a phone screen, kind to mobile data (sender-side, no renegotiation). */
  async capVideoBitrate(): Promise<void> {
    for (const sender of this.pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const parameters = sender.getParameters();
      if (parameters.encodings.length === 0) continue;
      for (const encoding of parameters.encodings) encoding.maxBitrate = MAX_VIDEO_BITRATE_BPS;
      await sender.setParameters(parameters);
    }
  }

  /**
   * Another camera, microphone or a shared screen: the new track takes the old one's place on the same sender
   * (no renegotiation). The sender keeps its last track, ended or not, so its kind is always known.
   */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack): Promise<void> {
    const sender = this.pc.getSenders().find((s) => s.track?.kind === kind);
    await sender?.replaceTrack(track);
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
