import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  type RTCRtpTransceiver,
} from 'werift';
import { TEST_PHONE_NUMBER_ID } from '../helpers/webhook-payloads.js';

/**
 * A person calling the business from WhatsApp, as Meta's side of the call behaves: an ICE-lite WebRTC peer that
 * offers one audio section (Opus 48000/2, `a=setup:actpass`, rtcp-mux, every candidate in the offer), sends
 * Opus every 20 ms once connected, and counts what it receives.
 */
export class FakeWhatsAppCaller {
  received = 0;
  receivedBytes = 0;
  /** The person muted their phone: nothing more is sent. */
  muted = false;
  #sending: NodeJS.Timeout | undefined;
  #echo = false;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly audio: RTCRtpTransceiver,
    readonly offer: string,
  ) {
    pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((packet) => {
        this.received++;
        this.receivedBytes += packet.payload.length;
        // Recorded speech played back: the Opus the other person sends, returned as it came.
        if (this.#echo && !this.muted) this.audio.sender.sendRtp(packet.serialize()).catch(() => undefined);
      }),
    );
  }

  static async start(): Promise<FakeWhatsAppCaller> {
    const pc = new RTCPeerConnection({
      iceLite: true,
      iceServers: [],
      iceAdditionalHostAddresses: ['127.0.0.1'],
      codecs: {
        audio: [
          new RTCRtpCodecParameters({
            mimeType: 'audio/opus',
            clockRate: 48_000,
            channels: 2,
            payloadType: 111,
          }),
        ],
        video: [],
      },
    });
    const audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
    await pc.setLocalDescription(await pc.createOffer());
    return new FakeWhatsAppCaller(pc, audio, pc.localDescription?.sdp ?? '');
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  /**
   * Applies the business's answer (what `pre_accept` carried), then sends Opus every 20 ms: a constant frame, or
   * with `echo` what it receives, returned as it came (real speech, so the other side can measure its energy).
   */
  async answered(sdp: string, options: { echo?: boolean } = {}): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    this.#echo = options.echo === true;
    if (this.#echo) return;
    let sequenceNumber = 1;
    // An Opus packet (TOC 0xF8: CELT fullband 20 ms, one frame), the same 20 ms each time.
    const payload = Buffer.from([0xf8, 0xff, 0xfe]);
    this.#sending = setInterval(() => {
      const header = new RtpHeader({
        payloadType: 111,
        sequenceNumber,
        timestamp: sequenceNumber * 960,
        ssrc: 4242,
      });
      sequenceNumber = (sequenceNumber + 1) & 0xffff;
      if (!this.muted) this.audio.sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
    }, 20);
  }

  async close(): Promise<void> {
    clearInterval(this.#sending);
    await this.pc.close();
  }
}

/** A `calls` webhook as Meta documents it: the person's `connect` with their offer and our button's payload. */
export function callConnectWebhook(options: {
  callId: string;
  from: string;
  offer: string;
  payload?: string | undefined;
}) {
  return callsNotification({
    id: options.callId,
    from: options.from,
    to: '15550783881',
    timestamp: String(Math.floor(Date.now() / 1000)),
    event: 'connect',
    direction: 'USER_INITIATED',
    session: { sdp_type: 'offer', sdp: options.offer },
    ...(options.payload !== undefined && { cta_payload: options.payload }),
  });
}

/** The `terminate` webhook that follows a call's end on WhatsApp's side. */
export function callTerminateWebhook(options: { callId: string; from: string }) {
  return callsNotification({
    id: options.callId,
    from: options.from,
    to: '15550783881',
    timestamp: String(Math.floor(Date.now() / 1000)),
    event: 'terminate',
    direction: 'USER_INITIATED',
    status: 'COMPLETED',
    duration: 12,
  });
}

function callsNotification(call: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'calls',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: TEST_PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Luis' }, wa_id: call.from }],
              calls: [call],
            },
          },
        ],
      },
    ],
  };
}
