// Webhook acknowledgement latency: signed webhook messages at a fixed rate from this process (the load
// generator) to the service running as a separate process, with the fake Graph API answering each send after
// 150 ms. Reports p50/p99 of the answer time and checks that every message produced its sends exactly once.
// Usage: npx tsx bench/webhook-ack.ts [ratePerSecond=200] [seconds=10]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeGraphApi } from '../test/fakes/fake-graph-api.js';
import { freePort } from '../test/helpers/free-port.js';
import { notification, signed, textMessage } from '../test/helpers/webhook-payloads.js';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 10);
const total = rate * seconds;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const graph = await FakeGraphApi.start({ delayMs: 150 });
const port = await freePort();
const dataDir = mkdtempSync(path.join(tmpdir(), 'wwb-bench-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn',
    WHATSAPP_TOKEN: 'bench-token',
    WABA_PHONE_NUMBER_ID: '1',
    VERIFY_TOKEN: 'bench',
    APP_SECRET: 'test_app_secret',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    GRAPH_API_BASE_URL: graph.baseUrl,
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://127.0.0.1:${port}/webhook`;
for (let i = 0; ; i++) {
  if (
    await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  if (i > 200) throw new Error('the service did not start');
  await sleep(50);
}

// Open loop: request i leaves at start + i / rate, whether or not earlier ones were answered.
const latencies: number[] = [];
let errors = 0;
const start = performance.now();
const inFlight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const from = `5730${String(10_000_000 + i)}`;
  const delivery = signed(
    notification([textMessage(from, 'videollamada +57 300 444 5566', `wamid.bench.${i}`)]),
  );
  const sentAt = performance.now();
  inFlight.push(
    fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.payload }).then(
      async (response) => {
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - sentAt);
        else errors++;
      },
      () => void errors++,
    ),
  );
}
await Promise.all(inFlight);
const elapsed = (performance.now() - start) / 1000;

// Every message is an invitation: one send to the inviter and one to the invitee.
const deadline = Date.now() + 60_000;
while (graph.sends.length < total * 2 && Date.now() < deadline) await sleep(100);
await sleep(500);
const ids = graph.sends.map((send) => String(send.body.biz_opaque_callback_data));
const duplicates = ids.length - new Set(ids).size;

server.kill('SIGTERM');
await graph.close();
rmSync(dataDir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      rate,
      seconds,
      sent: total,
      answered200: latencies.length,
      errors,
      achievedRate: Math.round(total / elapsed),
      p50Ms: Number(percentile(latencies, 50).toFixed(2)),
      p99Ms: Number(percentile(latencies, 99).toFixed(2)),
      maxMs: Number((latencies.at(-1) ?? NaN).toFixed(2)),
      graphSends: graph.sends.length,
      expectedSends: total * 2,
      duplicateSends: duplicates,
    },
    null,
    2,
  ),
);
