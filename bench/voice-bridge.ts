// The WhatsApp voice bridge, run by bench/run.ts as a process of its own: the built service (SQLite, calling on)
// as one process; in this process the fake Graph API, fake WhatsApp callers (ICE-lite werift peers, Opus every
// 20 ms) and call pages reduced to their audio (werift). Prints one JSON line:
// - setup: from the `calls` webhook `connect` being posted to audio arriving on both sides, call after call;
// - load: CALLS calls bridged at once for SECONDS: the service's CPU and event-loop delay, and whether every
//   call still carries audio both ways at the end;
// - burst: BURST calls arriving at the same moment: their setup times and the event loop's longest delay.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { voicePayload } from '../src/calling/voice-payload.js';
import { createRoom } from '../src/rooms/room.js';
import { openStorage } from '../src/storage/storage.js';
import { FakeGraphApi } from '../test/fakes/fake-graph-api.js';
import { callConnectWebhook, FakeWhatsAppCaller } from '../test/fakes/fake-whatsapp-caller.js';
import { freePort } from '../test/helpers/free-port.js';
import { weriftPage } from '../test/helpers/werift-page.js';
import { signed } from '../test/helpers/webhook-payloads.js';
import { cpuMs, healthy, percentile, serviceEnv, start, stop } from './processes.js';

const SETUPS = Number(process.env.SETUPS ?? 15);
const CALLS = Number(process.env.CALLS ?? 20);
const SECONDS = Number(process.env.SECONDS ?? 10);
const BURST = Number(process.env.BURST ?? 10);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wwb-voice-'));
const storage = await openStorage({ dataDir, databaseUrl: undefined, sharedLiveState: false, now: Date.now });
const rooms = Array.from({ length: SETUPS + CALLS + BURST }, () =>
  createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] }),
);
await storage.ledger.commit('seed-voice', { rooms: rooms.map((r) => r.room), messages: [] }, Date.now());
await storage.close();

const graph = await FakeGraphApi.start();
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const service = start(
  'dist/server.js',
  serviceEnv(port, graph.baseUrl, {
    DATA_DIR: dataDir,
    WHATSAPP_CALLING: 'inbound',
    CALL_BRIDGE_ADDRESSES: '127.0.0.1',
    WHATSAPP_DISPLAY_NUMBER: '+573005550100',
  }),
  ['dist/server.js'],
  true,
);
await healthy(baseUrl);
const pid = service.child.pid as number;

let calls = 0;
/** One room's host page joined, then a WhatsApp call into its guest seat; resolves once audio flows both ways. */
async function bridge(index: number) {
  const { room, seatKeys } = rooms[index] as (typeof rooms)[0];
  const page = await weriftPage(`ws://127.0.0.1:${port}`, room.id, seatKeys[0]);
  const caller = await FakeWhatsAppCaller.start();
  const callId = `wacid.bench-${++calls}`;
  const payload = voicePayload(room.id, 1, room.seats[1].keyHash);
  const { headers, payload: body } = signed(
    callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }),
  );
  const startedAt = performance.now();
  await fetch(`${baseUrl}/webhook`, { method: 'POST', headers, body });
  let answer: string | undefined;
  for (const deadline = Date.now() + 20_000; answer === undefined && Date.now() < deadline; await sleep(5)) {
    answer = graph.callActions
      .map((record) => record.body as { call_id?: string; action?: string; session?: { sdp?: string } })
      .find((action) => action.call_id === callId && action.action === 'pre_accept')?.session?.sdp;
  }
  if (answer === undefined) throw new Error(`no pre_accept for ${callId}`);
  await caller.answered(answer);
  let callerFirstAt: number | undefined;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(5)) {
    if (caller.received > 0) callerFirstAt ??= performance.now();
    if (callerFirstAt !== undefined && page.state.firstReceivedAt !== undefined) break;
  }
  const bothAt = Math.max(callerFirstAt ?? NaN, page.state.firstReceivedAt ?? NaN);
  return { page, caller, setupMs: bothAt - startedAt };
}

async function end(call: Awaited<ReturnType<typeof bridge>>) {
  call.page.hangUp();
  await sleep(50);
  await call.page.close();
  await call.caller.close();
}

// Setup time, one call at a time.
const setupMs: number[] = [];
for (let i = 0; i < SETUPS; i++) {
  const call = await bridge(i);
  setupMs.push(call.setupMs);
  await end(call);
}

// Load: CALLS at once.
const metrics = async () => (await fetch(`${baseUrl}/metrics`)).text();
const gauge = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
const live: Awaited<ReturnType<typeof bridge>>[] = [];
for (let i = 0; i < CALLS; i++) live.push(await bridge(SETUPS + i));
await sleep(2_000);
await metrics(); // prom-client resets its event-loop delay histogram on each read: the window starts here.
const before = { cpu: cpuMs(pid), at: performance.now() };
const counts = () => live.map((call) => [call.page.state.received, call.caller.received] as const);
const atStart = counts();
await sleep(SECONDS * 1_000);
const atEnd = counts();
const after = { cpu: cpuMs(pid), at: performance.now() };
const text = await metrics();
const flowing = atEnd.filter(
  ([page, caller], i) => page > (atStart[i]?.[0] ?? Infinity) && caller > (atStart[i]?.[1] ?? Infinity),
).length;
const packetsPerSecondEachWay =
  atEnd.reduce((sum, [page], i) => sum + page - (atStart[i]?.[0] ?? 0), 0) / SECONDS / CALLS;
for (const call of live) await end(call);

// Burst: BURST calls arriving at the same moment. The bridge's DTLS handshakes run on the service's main thread:
// this shows how long they hold it (event-loop delay max) and how long the last call waits.
await sleep(1_000);
await metrics();
const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => bridge(SETUPS + CALLS + i)));
const burstText = await metrics();
for (const call of burst) await end(call);
const burstMs = burst.map((call) => call.setupMs);

await stop(service.child);
await graph.close();
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    setup: { calls: SETUPS, p50Ms: percentile(setupMs, 50), p90Ms: percentile(setupMs, 90), all: setupMs },
    burst: {
      calls: BURST,
      p50Ms: percentile(burstMs, 50),
      maxMs: Math.max(...burstMs),
      eventLoopDelayMaxMs: gauge(burstText, 'wwb_nodejs_eventloop_lag_max_seconds') * 1000,
    },
    load: {
      calls: CALLS,
      seconds: SECONDS,
      flowing,
      packetsPerSecondEachWay,
      serviceCpuPercent: ((after.cpu - before.cpu) / (after.at - before.at)) * 100,
      eventLoopDelayP99Ms: gauge(text, 'wwb_nodejs_eventloop_lag_p99_seconds') * 1000,
      eventLoopDelayMaxMs: gauge(text, 'wwb_nodejs_eventloop_lag_max_seconds') * 1000,
    },
  })}\n`,
);
process.exit(0);
