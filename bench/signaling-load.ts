// Load generator for signaling, run as its own process. Opens two sockets per room, each speaking the real
// protocol (TARGET=ours: seat key subprotocol, joined/peer-joined, relayed candidates) or the reference relay's
// (TARGET=ref: the same 1 KB JSON text, forwarded as it is). PHASE=pingpong: every room ping-pongs a ~1 KB
// message, closed loop (or PACE_MS after each answer), for SECONDS; prints round-trip percentiles and round
// trips per second. PHASE=hold:
// opens every socket, prints {"opened"} when all are seated, keeps them idle for SECONDS (the server's
// heartbeats keep running), then prints how many are still open. BASE_SECOND: the second seat of each room
// connects there (another instance); LOCAL_ADDRESSES: sockets leave from these 127.0.0.x addresses in turn, as
// one address has only ~28,000 ports to one server port.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

const target = process.env.TARGET ?? 'ours';
const phase = process.env.PHASE ?? 'pingpong';
const base = process.env.BASE ?? '';
const seconds = Number(process.env.SECONDS ?? 5);
const rooms = JSON.parse(readFileSync(process.env.ROOMS_FILE ?? '', 'utf8')) as {
  id: string;
  keys: [string, string];
}[];
const secondBase = process.env.BASE_SECOND ?? base;
const localAddresses = (process.env.LOCAL_ADDRESSES ?? '').split(',').filter(Boolean);
let opened = 0;
const count = Number(process.env.ROOM_COUNT ?? rooms.length);
const PAYLOAD = JSON.stringify({
  type: 'candidate',
  candidate: { candidate: 'x'.repeat(1000), sdpMid: '0' },
});

function open(room: { id: string; keys: [string, string] }, index: number, seat: 0 | 1): Promise<WebSocket> {
  const socket =
    target === 'ours'
      ? new WebSocket(
          `${seat === 0 ? base : secondBase}/ws/${room.id}?client=bench-${index}-${seat}-c&session=bench-${index}-${seat}-s`,
          ['wwb.v1', `seat.${room.keys[seat]}`],
          localAddresses.length > 0 ? { localAddress: localAddresses[opened++ % localAddresses.length] } : {},
        )
      : new WebSocket(`${base}/r/${index}`);
  return new Promise((resolve, reject) => {
    if (target === 'ref') socket.once('open', () => resolve(socket));
    // Our protocol seats a socket with its first message, "joined".
    else socket.once('message', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function openAll(): Promise<[WebSocket, WebSocket][]> {
  const pairs: [WebSocket, WebSocket][] = [];
  for (let start = 0; start < count; start += 100) {
    const batch = rooms.slice(start, Math.min(count, start + 100));
    pairs.push(
      ...(await Promise.all(
        batch.map(
          async (room, i) =>
            [await open(room, start + i, 0), await open(room, start + i, 1)] as [WebSocket, WebSocket],
        ),
      )),
    );
  }
  return pairs;
}

const pairs = await openAll();
if (phase === 'hold') {
  let closed = 0;
  for (const pair of pairs) for (const socket of pair) socket.once('close', () => closed++);
  process.stdout.write(`${JSON.stringify({ opened: pairs.length * 2 })}\n`);
  await sleep(seconds * 1000);
  process.stdout.write(`${JSON.stringify({ opened: pairs.length * 2, held: pairs.length * 2 - closed })}\n`);
  process.exit(0);
}

/** PACE_MS: a room's next message leaves this long after the answer (latency at a set load, not at saturation). */
const paceMs = Number(process.env.PACE_MS ?? 0);
const RELAYED_PREFIX = target === 'ours' ? '{"sessionId":"' : '{"type":"candidate"';
const rtts: number[] = [];
let stop = false;
for (const [a, b] of pairs) {
  let sentAt = 0;
  // The far side answers every message; the near side times each round trip and starts the next one.
  // Presence messages (peer-joined) are not part of the exchange.
  // Ours puts the sender's session id first; the reference forwards the text as it is.
  const relayed = (data: Buffer) => data.subarray(0, RELAYED_PREFIX.length).toString() === RELAYED_PREFIX;
  b.on('message', (data: Buffer) => relayed(data) && b.send(PAYLOAD));
  const ping = () => {
    if (stop) return;
    sentAt = performance.now();
    a.send(PAYLOAD);
  };
  a.on('message', (data: Buffer) => {
    if (!relayed(data)) return;
    rtts.push(performance.now() - sentAt);
    if (paceMs > 0) setTimeout(ping, paceMs);
    else ping();
  });
  // Paced rooms start spread over one pace, as people's messages do.
  if (paceMs > 0) setTimeout(ping, Math.random() * paceMs);
  else ping();
}
await sleep(seconds * 1000);
stop = true;
const total = rtts.length;
rtts.sort((x, y) => x - y);
const at = (p: number) => rtts[Math.min(rtts.length - 1, Math.ceil((p / 100) * rtts.length) - 1)] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ target, rooms: pairs.length, roundTrips: total, perSecond: total / seconds, p50Ms: at(50), p99Ms: at(99) })}\n`,
);
process.exit(0);
