import { RTCPeerConnection, type RTCRtpTransceiver } from 'werift';
import { opusCodec } from '../../src/calling/bridge-peer.js';
import { sendOpusEvery20ms } from '../helpers/opus-stream.js';
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
  #stopSending: () => void = () => undefined;
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
        audio: [opusCodec(111)],
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
    this.#stopSending = sendOpusEvery20ms(this.audio, {
      payloadType: 111,
      ssrc: 4242,
      sending: () => !this.muted,
    });
  }

  async close(): Promise<void> {
    this.#stopSending();
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
  return callsNotification(options, {
    event: 'connect',
    session: { sdp_type: 'offer', sdp: options.offer },
    ...(options.payload !== undefined && { cta_payload: options.payload }),
  });
}

/** The `terminate` webhook that follows a call's end on WhatsApp's side. */
export function callTerminateWebhook(options: { callId: string; from: string }) {
  return callsNotification(options, { event: 'terminate', status: 'COMPLETED', duration: 12 });
}

function callsNotification(who: { callId: string; from: string }, event: Record<string, unknown>) {
  const call = {
    id: who.callId,
    from: who.from,
    to: '15550783881',
    timestamp: String(Math.floor(Date.now() / 1000)),
    direction: 'USER_INITIATED',
    ...event,
  };
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
              contacts: [{ profile: { name: 'Luis' }, wa_id: who.from }],
              calls: [call],
            },
          },
        ],
      },
    ],
  };
}
