import { RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';

/** An Opus packet (TOC 0xF8: CELT fullband 20 ms, one frame), the same 20 ms each time. */
const OPUS_FRAME = Buffer.from([0xf8, 0xff, 0xfe]);

/** Sends an Opus packet every 20 ms on `transceiver` while `sending()` says so; returns what stops it. */
export function sendOpusEvery20ms(
  transceiver: RTCRtpTransceiver,
  options: { payloadType: number; ssrc: number; sending?: () => boolean },
): () => void {
  let sequenceNumber = 1;
  const timer = setInterval(() => {
    const header = new RtpHeader({
      payloadType: options.payloadType,
      sequenceNumber,
      timestamp: sequenceNumber * 960,
      ssrc: options.ssrc,
    });
    sequenceNumber = (sequenceNumber + 1) & 0xffff;
    if (options.sending?.() === false) return;
    transceiver.sender.sendRtp(new RtpPacket(header, OPUS_FRAME)).catch(() => undefined);
  }, 20);
  return () => clearInterval(timer);
}
