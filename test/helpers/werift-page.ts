import { RTCPeerConnection } from 'werift';
import WebSocket from 'ws';
import { opusCodec } from '../../src/calling/bridge-peer.js';
import type { ServerMessage } from '../../src/protocol/signaling-messages.js';
import { sendOpusEvery20ms } from './opus-stream.js';

let counter = 0;

/**
 * A call page reduced to its audio, in Node: it takes a seat over the page's signaling protocol, offers when it
 * is the impolite seat (as the page does once the other person is there), sends an Opus packet every 20 ms and
 * counts what it receives. For tests and benchmarks of the WhatsApp voice bridge without a browser.
 */
export async function weriftPage(
  socketBase: string,
  roomId: string,
  seatKey: string,
  /** The tab's id: a reload of the same tab keeps it (the page keeps it in sessionStorage). */
  clientId = `werift-${++counter}-${Date.now().toString(36)}-c`,
) {
  const id = `werift-${++counter}-${Date.now().toString(36)}`;
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: { audio: [opusCodec(109)], video: [] },
  });
  const audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
  const state = {
    received: 0,
    firstReceivedAt: undefined as number | undefined,
    hungUp: false,
    via: '',
    /** The other side's last answer. */
    answer: '',
  };
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe(() => {
      state.received++;
      state.firstReceivedAt ??= performance.now();
    }),
  );
  const socket = new WebSocket(`${socketBase}/ws/${roomId}?client=${clientId}&session=${id}-s`, [
    'wwb.v1',
    `seat.${seatKey}`,
  ]);
  let offered = false;
  const offer = async () => {
    if (offered) return;
    offered = true;
    await pc.setLocalDescription(await pc.createOffer());
    socket.send(
      JSON.stringify({ type: 'description', description: { type: 'offer', sdp: pc.localDescription?.sdp } }),
    );
  };
  // Listened for before the socket opens: the welcome may come in the same packet as the upgrade's answer.
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type === 'joined' && message.peerSessionId !== null) void offer();
    if (message.type === 'peer-joined') void offer();
    if (message.type === 'peer-via') state.via = message.via;
    if (message.type === 'description' && message.description.type === 'answer') {
      state.answer = message.description.sdp ?? '';
      void pc.setRemoteDescription(message.description);
    }
    if (message.type === 'peer-left' && message.reason === 'hangup') state.hungUp = true;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    );
  }).catch(async (error: unknown) => {
    await pc.close();
    throw error;
  });
  const stopSending = sendOpusEvery20ms(audio, { payloadType: 109, ssrc: 77 });
  return {
    clientId,
    socket,
    state,
    hangUp: () => socket.send(JSON.stringify({ type: 'leave' })),
    close: async () => {
      stopSending();
      socket.close();
      await pc.close();
    },
  };
}
