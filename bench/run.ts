// npm run bench: every benchmark in one run, with the reference measured in the same run. The service runs as
// its own process (the built dist/server.js); the fake Graph API, the reference relay and each load generator
// are processes of their own. Loopback only; every loop stops by itself. Writes bench/results/latest.json and
// .md, and the table in bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { createRoom, roomLink } from '../src/rooms/room.js';
import { createStorage } from '../src/storage/storage.js';
import { createApiKey } from '../src/api/api-keys.js';
import { freePort } from '../test/helpers/free-port.js';
import { TEST_APP_SECRET } from '../test/helpers/webhook-payloads.js';
import { measureCallSetup } from '../test/e2e/call-timing.js';
import type { ScaleOutResults } from './scale-out.js';
import { scaleOutRows } from './scale-out-rows.js';
import { dashboardRows, type DashboardResults } from './dashboard-rows.js';
import { voiceRows, type VoiceResults } from './voice-rows.js';
import {
  cpuMs,
  healthy,
  percentile,
  root,
  round,
  rssMb,
  run,
  serviceEnv,
  start,
  startGraph,
  type WebhookResult,
} from './processes.js';

/**
 * BENCH_ONLY=webhook,relay runs only those parts (webhook, api, relay, hold, calls, scale, dashboard, voice), for profiling or repeated
 * runs; it prints their figures as JSON and writes no results file.
 */
const PARTS = ['webhook', 'api', 'relay', 'hold', 'calls', 'scale', 'dashboard', 'voice'] as const;
const only = new Set((process.env.BENCH_ONLY ?? PARTS.join(',')).split(','));
const partial = PARTS.some((part) => !only.has(part));
// --- The call page's weight: every asset it loads, gzip.
const web = path.join(root, 'dist', 'web');
const pageAssets = ['call.html', 'assets/call.js', 'assets/call.css'];
const pageWeightBytes = pageAssets.reduce(
  (sum, file) => sum + gzipSync(readFileSync(path.join(web, file)), { level: 9 }).length,
  0,
);

// --- Rooms for the signaling benchmarks, written before the service starts.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wwb-bench-'));
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const storage = createStorage({ dataDir });
const seed = (count: number) =>
  Array.from({ length: count }, () => {
    const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
    void storage.ledger.commit(`seed-${room.id}`, { rooms: [room], messages: [] }, Date.now());
    return { id: room.id, keys: seatKeys };
  });
const roomSets = { pingpong: seed(1000), hold: seed(5000), calls: seed(10) };
const benchKey = createApiKey({ name: 'bench', scopes: ['write'], lines: undefined, nowMs: Date.now() });
await storage.apiKeys.insert(benchKey.record);
await storage.close();
const roomFiles = Object.fromEntries(
  Object.entries(roomSets).map(([name, rooms]) => {
    const file = path.join(dataDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(rooms));
    return [name, file];
  }),
);

const graph = await startGraph();
const graphUrl = graph.baseUrl;
const drained = graph.drained;
const service = start(
  'dist/server.js',
  serviceEnv(port, graphUrl, { DATA_DIR: dataDir, API_RATE_LIMIT_PER_MINUTE: '100000' }),
  [
    '--enable-source-maps',
    // BENCH_CPU_PROF=1 writes the service's CPU profile to bench/results/profiles (open it in Chrome DevTools).
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profiles'] : []),
    'dist/server.js',
  ],
);
await healthy(baseUrl);
const servicePid = service.child.pid as number;

/**
 * Sends per invitation: the invitee never wrote, so the bot does not write to them; the inviter gets their
 * link, and apart from it the message with the link to forward.
 */
const SENDS_PER_INVITATION = 2;

// --- Webhook acknowledgement latency at a fixed 200/s, and maximum throughput (closed loop).
const webhookEnv = { URL: `${baseUrl}/webhook`, APP_SECRET: TEST_APP_SECRET };
const skipped = <T>(): T =>
  ({ sent: 0, ok: 0, errors: 0, perSecond: NaN, p50Ms: NaN, p99Ms: NaN, maxMs: NaN }) as T;
const rate = !only.has('webhook')
  ? skipped<WebhookResult>()
  : await run<WebhookResult>('bench/webhook-load.ts', {
      ...webhookEnv,
      MODE: 'rate',
      RATE: '200',
      SECONDS: '10',
      PREFIX: 'rate',
    });
const rateSends = await drained(rate.ok * SENDS_PER_INVITATION);
const closedStartedAt = performance.now();
const closed = !only.has('webhook')
  ? skipped<WebhookResult>()
  : await run<WebhookResult>('bench/webhook-load.ts', {
      ...webhookEnv,
      MODE: 'closed',
      CONCURRENCY: '16',
      SECONDS: '10',
      PREFIX: 'closed',
    });
const allSends = await drained((rate.ok + closed.ok) * SENDS_PER_INVITATION);
// Answered and sent: the closed loop's messages over the time until the last of their sends left.
const sentPerSecond = closed.ok / ((allSends.doneAt - closedStartedAt) / 1000);

// --- POST /api/v1/calls: latency at a fixed 100/s, and throughput with 16 in flight (guests who never wrote:
// no message goes out, so this measures the API itself: key check, rate limit, planning, one commit).
const apiEnv = { URL: `${baseUrl}/api/v1/calls`, KIND: 'api', API_KEY: benchKey.key };
const apiRate = !only.has('api')
  ? skipped<WebhookResult>()
  : await run<WebhookResult>('bench/webhook-load.ts', {
      ...apiEnv,
      MODE: 'rate',
      RATE: '100',
      SECONDS: '10',
      PREFIX: 'rate',
    });
const apiClosed = !only.has('api')
  ? skipped<WebhookResult>()
  : await run<WebhookResult>('bench/webhook-load.ts', {
      ...apiEnv,
      MODE: 'closed',
      CONCURRENCY: '16',
      SECONDS: '10',
      PREFIX: 'closed',
    });

// --- Signaling relay: ours against the minimal ws relay, 1, 100 and 1,000 rooms.
const reference = start('bench/reference-relay.ts', {});
const { port: referencePort } = await reference.next<{ port: number }>();
type RelayResult = { rooms: number; roundTrips: number; perSecond: number; p50Ms: number; p99Ms: number };
const relay: {
  rooms: number;
  ours: RelayResult;
  reference: RelayResult;
  serviceCpuUsPerMessage: number;
}[] = [];
for (const rooms of only.has('relay') ? [1, 100, 1000] : []) {
  const common = {
    PHASE: 'pingpong',
    SECONDS: '5',
    ROOM_COUNT: String(rooms),
    ROOMS_FILE: roomFiles.pingpong as string,
  };
  const cpuBefore = cpuMs(servicePid);
  const ours = await run<RelayResult>('bench/signaling-load.ts', {
    ...common,
    TARGET: 'ours',
    BASE: `ws://127.0.0.1:${port}`,
  });
  const ref = await run<RelayResult>('bench/signaling-load.ts', {
    ...common,
    TARGET: 'ref',
    BASE: `ws://127.0.0.1:${referencePort}`,
  });
  // Each round trip is two relayed messages; the reference run in between costs the service nothing.
  const serviceCpuUsPerMessage = ((cpuMs(servicePid) - cpuBefore) * 1000) / (2 * ours.roundTrips);
  relay.push({ rooms, ours, reference: ref, serviceCpuUsPerMessage });
  await sleep(500);
}
reference.child.kill();

// --- Connection capacity: 10,000 idle signaling sockets in 5,000 rooms, through several heartbeats.
const rssBefore = rssMb(servicePid);
async function holdConnections() {
  const hold = start('bench/signaling-load.ts', {
    PHASE: 'hold',
    SECONDS: '15',
    ROOMS_FILE: roomFiles.hold as string,
    TARGET: 'ours',
    BASE: `ws://127.0.0.1:${port}`,
  });
  const { opened } = await hold.next<{ opened: number }>();
  let peak = 0;
  for (let i = 0; i < 12; i++) {
    peak = Math.max(peak, rssMb(servicePid));
    await sleep(1_000);
  }
  const held = await hold.next<{ opened: number; held: number }>();
  return { opened, held, rssPeak: peak };
}
const { opened, held, rssPeak } = only.has('hold')
  ? await holdConnections()
  : { opened: 0, held: { opened: 0, held: 0 }, rssPeak: NaN };

// --- Call setup in Chromium.
const setupMs = !only.has('calls')
  ? []
  : await measureCallSetup(
      roomSets.calls.map(
        (room) =>
          [roomLink(baseUrl, room.id, room.keys[0]), roomLink(baseUrl, room.id, room.keys[1])] as const,
      ),
    );

service.child.kill('SIGTERM');
await new Promise((resolve) => service.child.once('exit', resolve));
graph.child.kill();
rmSync(dataDir, { recursive: true, force: true });

// --- Several instances on PostgreSQL and Redis, with the single instance's figures above beside them.
const scaleOut = only.has('scale') ? await run<ScaleOutResults>('bench/scale-out.ts', {}) : undefined;

// --- The operator dashboard's queries over a year of calls (1,000,000), on SQLite and PostgreSQL.
const dashboard = only.has('dashboard')
  ? await run<DashboardResults>('bench/dashboard-queries.ts', {})
  : undefined;

// --- WhatsApp voice calls bridged into rooms: setup time, and 20 calls at once.
const voice = only.has('voice') ? await run<VoiceResults>('bench/voice-bridge.ts', {}) : undefined;

// --- Results.
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
const results = {
  date: new Date().toISOString(),
  commit,
  machine: {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
  },
  webhook: {
    rate200: {
      ...rate,
      sendsAccepted: rateSends.accepted,
      sendsUnique: rateSends.unique,
      expectedSends: rate.ok * SENDS_PER_INVITATION,
    },
    closedLoop: {
      ...closed,
      sendsAccepted: allSends.accepted - rateSends.accepted,
      duplicates: allSends.accepted - allSends.unique,
      lost: (rate.ok + closed.ok) * SENDS_PER_INVITATION - allSends.unique,
      sentPerSecond,
    },
  },
  api: { rate100: apiRate, closedLoop: apiClosed },
  relay: relay.map((r) => ({
    ...r,
    p50Ratio: round(r.ours.p50Ms / r.reference.p50Ms),
    p99Ratio: round(r.ours.p99Ms / r.reference.p99Ms),
    throughputRatio: round(r.ours.perSecond / r.reference.perSecond),
  })),
  connections: { opened, held: held.held, rssBeforeMb: round(rssBefore, 1), rssPeakMb: round(rssPeak, 1) },
  callSetup: { samplesMs: setupMs, medianMs: percentile(setupMs, 50), p90Ms: percentile(setupMs, 90) },
  pageWeight: { assets: pageAssets, gzipBytes: pageWeightBytes },
  scaleOut,
  dashboard,
  voice,
};

if (partial) {
  console.log(JSON.stringify({ parts: [...only], ...results }, null, 2));
  process.exit(0);
}

const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
const w = results.webhook;
const rows = [
  [
    'webhook ack latency, 200/s for 10 s (fake Graph 150 ms)',
    `p50 ${round(w.rate200.p50Ms)} ms, p99 ${round(w.rate200.p99Ms)} ms; ${w.rate200.ok}/${w.rate200.sent} answered, sends ${w.rate200.sendsUnique}/${w.rate200.expectedSends} unique of ${w.rate200.sendsAccepted}`,
    'p99 ≤ 20 ms; sends exactly once',
    verdict(
      w.rate200.p99Ms <= 20 &&
        w.rate200.sendsAccepted === w.rate200.expectedSends &&
        w.rate200.sendsUnique === w.rate200.expectedSends,
    ),
  ],
  [
    'webhook max throughput, 16 in flight, 10 s',
    `${round(w.closedLoop.perSecond, 0)} msgs/s answered, ${round(w.closedLoop.sentPerSecond, 0)} msgs/s answered and sent (one Node process = 1 core); errors ${w.closedLoop.errors}, lost ${w.closedLoop.lost}, duplicated ${w.closedLoop.duplicates}`,
    'report; no errors, no losses',
    verdict(w.closedLoop.errors === 0 && w.closedLoop.lost === 0 && w.closedLoop.duplicates === 0),
  ],
  [
    'POST /api/v1/calls, 100/s for 10 s; then 16 in flight for 10 s',
    `p50 ${round(results.api.rate100.p50Ms)} ms, p99 ${round(results.api.rate100.p99Ms)} ms at 100/s; ${round(results.api.closedLoop.perSecond, 0)} calls/s with 16 in flight (p50 ${round(results.api.closedLoop.p50Ms)} ms, p99 ${round(results.api.closedLoop.p99Ms)} ms; one Node process = 1 core); errors ${results.api.rate100.errors + results.api.closedLoop.errors}`,
    'report; no errors',
    verdict(results.api.rate100.errors + results.api.closedLoop.errors === 0),
  ],
  ...results.relay.map((r) => [
    `signaling relay, ${r.rooms} room${r.rooms > 1 ? 's' : ''}, ~1 KB ping-pong`,
    `ours p50 ${round(r.ours.p50Ms, 3)} / p99 ${round(r.ours.p99Ms, 3)} ms, ${round(r.ours.perSecond, 0)} rt/s; reference p50 ${round(r.reference.p50Ms, 3)} / p99 ${round(r.reference.p99Ms, 3)} ms, ${round(r.reference.perSecond, 0)} rt/s; ratios p50 ${r.p50Ratio}×, p99 ${r.p99Ratio}×, throughput ${r.throughputRatio}×; service CPU ${round(r.serviceCpuUsPerMessage, 1)} µs per relayed message`,
    'RTT ≤ 1.5× reference; throughput ≥ 0.7×',
    verdict(r.p50Ratio <= 1.5 && r.p99Ratio <= 1.5 && r.throughputRatio >= 0.7),
  ]),
  [
    'connection capacity, 10,000 sockets / 5,000 rooms, 15 s idle',
    `${results.connections.held}/${results.connections.opened} held; RSS ${results.connections.rssBeforeMb} → peak ${results.connections.rssPeakMb} MB`,
    'all held; RSS ≤ 300 MB',
    verdict(results.connections.held === 10_000 && results.connections.rssPeakMb <= 300),
  ],
  [
    'call setup, 10 calls in Chromium (tap → first frame on both sides)',
    `median ${results.callSetup.medianMs} ms, p90 ${results.callSetup.p90Ms} ms`,
    'median ≤ 350 ms',
    verdict(results.callSetup.medianMs <= 350),
  ],
  [
    'call page weight (HTML, JS, CSS; gzip -9)',
    `${(pageWeightBytes / 1024).toFixed(1)} KB`,
    '≤ 30 KB',
    verdict(pageWeightBytes <= 30 * 1024),
  ],
  ...(scaleOut === undefined
    ? []
    : scaleOutRows(scaleOut, {
        rate200P99Ms: w.rate200.p99Ms,
        answeredPerSecond: w.closedLoop.perSecond,
        sentPerSecond: w.closedLoop.sentPerSecond,
        relay100P50Ms: results.relay.find((r) => r.rooms === 100)?.ours.p50Ms,
      })),
  ...(dashboard === undefined ? [] : dashboardRows(dashboard)),
  ...(voice === undefined ? [] : voiceRows(voice)),
];
const table = [
  `Run ${results.date} at commit ${commit}; ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}.`,
  '',
  '| measure | result | target | |',
  '| --- | --- | --- | --- |',
  ...rows.map((row) => `| ${row.join(' | ')} |`),
].join('\n');
writeFileSync(path.join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(root, 'bench', 'results', 'latest.md'), `${table}\n`);
const readmePath = path.join(root, 'bench', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
writeFileSync(
  readmePath,
  readme.replace(
    /<!-- results:start -->[\s\S]*<!-- results:end -->/,
    `<!-- results:start -->\n${table}\n<!-- results:end -->`,
  ),
);
console.log(table);
process.exit(0);
