import { RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpTransceiver, type RtpPacket } from 'werift';

/** Where the bridge's media can be reached: what its peer connections gather as candidates. */
export interface BridgeNetwork {
  /**
   * STUN/TURN servers for each new peer connection (TURN credentials are minted per connection); none by default
   * (werift would otherwise ask a public STUN server).
   */
  readonly iceServers: () => readonly {
    urls: string;
    username?: string | undefined;
    credential?: string | undefined;
  }[];
  /** Only relay candidates (through the TURN server): for a host that cannot receive UDP itself. */
  readonly relayOnly: boolean;
  /** Addresses added to the host candidates (the public address behind NAT; 127.0.0.1 on a loopback-only host). */
  readonly hostAddresses: readonly string[];
  /** UDP ports the bridge may use, for a firewall rule. */
  readonly portRange?: readonly [number, number] | undefined;
}

/** Opus as WhatsApp and browsers send it: passed through, never decoded. */
export const OPUS_PAYLOAD_TYPE = 111;

/** Opus as RTCPeerConnection options list it, with the payload type this side offers or expects. */
export function opusCodec(payloadType = OPUS_PAYLOAD_TYPE): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType });
}

export function bridgePeer(
  network: BridgeNetwork,
  options: { declinesVideo?: boolean } = {},
): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: network.iceServers().map(({ urls, username, credential }) => ({
      urls,
      ...(username !== undefined && { username }),
      ...(credential !== undefined && { credential }),
    })),
    ...(network.relayOnly && { iceTransportPolicy: 'relay' as const }),
    iceAdditionalHostAddresses: [...network.hostAddresses],
    ...(network.portRange && { icePortRange: [...network.portRange] as [number, number] }),
    codecs: {
      audio: [opusCodec()],
      // werift refuses an offer with a video section it has no codec for; the section is then set inactive.
      video: options.declinesVideo
        ? [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90_000, payloadType: 96 })]
        : [],
    },
  });
}

/**
 * Hands each Opus packet a transceiver receives to `forward`; packets of other payload types (comfort noise,
 * DTMF) would be relabelled as Opus on the other leg, so they stay here.
 */
export function onOpus(
  peer: RTCPeerConnection,
  transceiver: RTCRtpTransceiver,
  forward: (packet: RtpPacket) => void,
): void {
  peer.onTrack.subscribe((track) => {
    if (track.kind !== 'audio') return;
    track.onReceiveRtp.subscribe((packet) => {
      const opus = transceiver.getPayloadType('audio/opus') ?? OPUS_PAYLOAD_TYPE;
      if (packet.header.payloadType === opus) forward(packet);
    });
  });
}

/** Sends a packet received on the other leg: a copy (the sender rewrites its header), errors kept here. */
export function sendCopy(transceiver: RTCRtpTransceiver, packet: RtpPacket): void {
  transceiver.sender.sendRtp(packet.serialize()).catch(() => undefined);
}
