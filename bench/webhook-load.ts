// Load generator for POST /webhook, run as its own process. Each message is a signed invitation from a new
// number; with KIND=api, each request is a POST /api/v1/calls with API_KEY, for a new guest. MODE=rate: RATE messages per second for SECONDS (open loop: message i leaves at i / RATE, answered
// or not). MODE=closed: CONCURRENCY messages in flight at all times for SECONDS. URL may list several
// instances, comma-separated: messages go to each in turn (a round-robin balancer). Prints one JSON line.
import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { notification, signed, textMessage } from '../test/helpers/webhook-payloads.js';

const urls = (process.env.URL ?? '').split(',').map((url) => new URL(url));
const mode = process.env.MODE ?? 'rate';
const seconds = Number(process.env.SECONDS ?? 10);
const prefix = process.env.PREFIX ?? mode;
const appSecret = process.env.APP_SECRET ?? '';
const kind = process.env.KIND ?? 'webhook';
const apiKey = process.env.API_KEY ?? '';

const latencies: number[] = [];
let errors = 0;
let sent = 0;

// Plain node:http with keep-alive: fetch costs the load generator more CPU than the service spends per request.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
let turn = 0;

function request(headers: Record<string, string>, body: string): Promise<number> {
  const target = urls[turn++ % urls.length] as URL;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Request i: a signed webhook, or a call for the API. */
function delivery(i: number): { headers: Record<string, string>; payload: string } {
  if (kind === 'api') {
    const guest = `+57${prefix === 'rate' ? '300' : '301'}${String(i).padStart(7, '0')}`;
    return {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      payload: JSON.stringify({ host: { name: 'Clínica Norte' }, guest: { phone: guest, name: 'Luis' } }),
    };
  }
  const from = `57${prefix === 'rate' ? '31' : '32'}${String(i).padStart(8, '0')}`;
  return signed(
    notification([textMessage(from, 'videollamada +57 300 444 5566', `wamid.${prefix}.${i}`)]),
    appSecret,
  );
}

async function post(i: number): Promise<void> {
  const { headers, payload } = delivery(i);
  sent++;
  const start = performance.now();
  try {
    const status = await request(headers, payload);
    if (status >= 200 && status < 300) latencies.push(performance.now() - start);
    else errors++;
  } catch {
    errors++;
  }
}

const started = performance.now();
const deadline = started + seconds * 1000;
if (mode === 'rate') {
  const rate = Number(process.env.RATE ?? 200);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(post(i));
  }
  await Promise.all(pending);
} else {
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline) await post(next++);
  };
  await Promise.all(Array.from({ length: Number(process.env.CONCURRENCY ?? 16) }, worker));
}
const elapsedS = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ sent, ok: latencies.length, errors, perSecond: sent / elapsedS, p50Ms: at(50), p99Ms: at(99), maxMs: latencies.at(-1) ?? NaN })}\n`,
);
