// The scale-out benchmarks, run by bench/run.ts as a process of their own: the built service as one or two
// instances on PostgreSQL (durable, its defaults) and Redis, each started by this script on loopback. Prints one
// JSON line:
// - webhook: acknowledgement latency at 200/s and closed-loop throughput, with 1 and 2 instances on PostgreSQL
//   (the load generator sends to each instance in turn, as a round-robin balancer would);
// - relay: 100 rooms ping-ponging with both people on one instance, and with each on another instance (latency
//   at a set pace, and closed-loop throughput);
// - hold: idle sockets on one instance with Redis presence, as many as this machine lets one process open;
// - drain: a backlog of messages sent by 1 and 2 outbox workers (instances) on PostgreSQL, and by one on SQLite.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createRoom } from '../src/rooms/room.js';
import { openStorage, type Storage } from '../src/storage/storage.js';
import { freePort } from '../test/helpers/free-port.js';
import { TEST_APP_SECRET } from '../test/helpers/webhook-payloads.js';
import { startPostgres } from '../test/servers/postgres-server.js';
import { startRedis } from '../test/servers/redis-server.js';
import {
  healthy,
  percentile,
  rssMb,
  run,
  serviceEnv,
  start,
  startGraph,
  stop,
  type WebhookResult,
} from './processes.js';

const SENDS_PER_INVITATION = 2;
const workDir = mkdtempSync(path.join(os.tmpdir(), 'wwb-bench-scale-'));
const [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);

/** `count` instances of the built service on `storageEnv`, each on its own port, all answering. */
async function instances(count: number, graphUrl: string, storageEnv: Record<string, string>) {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const children: ChildProcess[] = ports.map(
    (port) => start('dist/server.js', serviceEnv(port, graphUrl, storageEnv), ['dist/server.js'], true).child,
  );
  await Promise.all(ports.map((port) => healthy(`http://127.0.0.1:${port}`)));
  return {
    ports,
    pids: children.map((child) => child.pid as number),
    stop: () => Promise.all(children.map(stop)),
  };
}

/** A fresh PostgreSQL database, with Redis for live state, as every instance of a deployment gets them. */
async function postgresDeployment() {
  return { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url };
}

async function withStorage<T>(
  env: Record<string, string>,
  use: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await openStorage({
    dataDir: env.DATA_DIR ?? ':memory:',
    databaseUrl: env.DATABASE_URL,
    sharedLiveState: true,
    now: Date.now,
  });
  try {
    return await use(storage);
  } finally {
    await storage.close();
  }
}

/** `count` rooms written to the deployment's storage, and a file listing them for signaling-load.ts. */
async function seedRooms(env: Record<string, string>, count: number, name: string): Promise<string> {
  const rooms = await withStorage(env, async (storage) => {
    const seeded = [];
    for (let i = 0; i < count; i += 500) {
      const batch = Array.from({ length: Math.min(500, count - i) }, () =>
        createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] }),
      );
      await storage.ledger.commit(
        `seed-${name}-${i}`,
        { rooms: batch.map((b) => b.room), messages: [] },
        Date.now(),
      );
      seeded.push(...batch.map(({ room, seatKeys }) => ({ id: room.id, keys: seatKeys })));
    }
    return seeded;
  });
  const file = path.join(workDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(rooms));
  return file;
}

/** Webhook latency at 200/s and closed-loop throughput against `count` instances on PostgreSQL. */
async function webhooks(count: number) {
  const graph = await startGraph();
  const cluster = await instances(count, graph.baseUrl, await postgresDeployment());
  const env = {
    URL: cluster.ports.map((port) => `http://127.0.0.1:${port}/webhook`).join(','),
    APP_SECRET: TEST_APP_SECRET,
  };
  const rate = await run<WebhookResult>('bench/webhook-load.ts', {
    ...env,
    MODE: 'rate',
    RATE: '200',
    SECONDS: '10',
    PREFIX: 'rate',
  });
  await graph.drained(rate.ok * SENDS_PER_INVITATION);
  const closedStartedAt = performance.now();
  const closed = await run<WebhookResult>('bench/webhook-load.ts', {
    ...env,
    MODE: 'closed',
    CONCURRENCY: '16',
    SECONDS: '10',
    PREFIX: 'closed',
  });
  const expected = (rate.ok + closed.ok) * SENDS_PER_INVITATION;
  const sends = await graph.drained(expected);
  await cluster.stop();
  graph.child.kill();
  return {
    instances: count,
    rate200: rate,
    closedLoop: { ...closed, sentPerSecond: closed.ok / ((sends.doneAt - closedStartedAt) / 1000) },
    duplicates: sends.accepted - sends.unique,
    lost: expected - sends.unique,
  };
}

type RelayResult = { rooms: number; roundTrips: number; perSecond: number; p50Ms: number; p99Ms: number };

/**
 * 100 rooms on two instances, both people on one instance, then each on another. Latency: each room sends its
 * next message 50 ms after the answer (about 2,000 round trips a second in all), three rounds alternated, medians.
 * Throughput: closed loop, one round each.
 */
async function relay(graphUrl: string) {
  const env = await postgresDeployment();
  const cluster = await instances(2, graphUrl, env);
  const [same, cross] = [await seedRooms(env, 100, 'same'), await seedRooms(env, 100, 'cross')];
  const [first, second] = cluster.ports.map((port) => `ws://127.0.0.1:${port}`) as [string, string];
  const pingpong = (rooms: string, across: boolean, paceMs: number) =>
    run<RelayResult>('bench/signaling-load.ts', {
      PHASE: 'pingpong',
      SECONDS: '5',
      TARGET: 'ours',
      BASE: first,
      ROOMS_FILE: rooms,
      PACE_MS: String(paceMs),
      ...(across && { BASE_SECOND: second }),
    });
  const rounds: { same: RelayResult; cross: RelayResult }[] = [];
  for (let round = 0; round < 3; round++)
    rounds.push({ same: await pingpong(same, false, 50), cross: await pingpong(cross, true, 50) });
  const closedLoop = { same: await pingpong(same, false, 0), cross: await pingpong(cross, true, 0) };
  await cluster.stop();
  const median = (pick: (r: (typeof rounds)[0]) => number) => percentile(rounds.map(pick), 50);
  return {
    rooms: 100,
    paceMs: 50,
    rounds,
    sameInstance: { p50Ms: median((r) => r.same.p50Ms), p99Ms: median((r) => r.same.p99Ms) },
    crossInstance: { p50Ms: median((r) => r.cross.p50Ms), p99Ms: median((r) => r.cross.p99Ms) },
    perSecond: { same: closedLoop.same.perSecond, cross: closedLoop.cross.perSecond },
  };
}

/** The open-file limit (RLIMIT_NOFILE) the service and the generators inherit: one socket, one file. */
function openFileLimit(): number {
  return Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 1024);
}

/**
 * Idle sockets on one instance with Redis presence, through three heartbeats: 100,000 where the machine lets a
 * process hold that many, else as many as its open-file limit allows. Two generator processes, leaving from four
 * 127.0.0.x addresses, one after the other: the service's settled RSS after each half gives the memory each
 * further socket costs (the slope), which is what a projection to 100,000 needs; the average over all sockets
 * also carries what grows once, whatever the count (V8's young generation at full size while sockets connect).
 */
async function hold(graphUrl: string) {
  const limit = openFileLimit();
  const sockets = Math.min(100_000, Math.floor((limit - 1_000) / 4) * 4);
  const generators = 2;
  const env = await postgresDeployment();
  const files = [];
  for (let g = 0; g < generators; g++)
    files.push(await seedRooms(env, sockets / 2 / generators, `hold-${g}`));
  const cluster = await instances(1, graphUrl, env);
  const pid = cluster.pids[0] as number;
  const client = new Redis(redis.url);
  const redisBytes = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? NaN);
  let rssPeak = 0;
  /** The median of five samples a second apart, once the sockets are open and idle. */
  const settledRss = async () => {
    const samples = [];
    for (let i = 0; i < 5; i++) {
      await sleep(1_000);
      samples.push(rssMb(pid));
    }
    rssPeak = Math.max(rssPeak, ...samples);
    return percentile(samples, 50);
  };
  await sleep(1_000);
  const [rssBefore, redisBefore] = [rssMb(pid), await redisBytes()];
  const loads = [];
  const settled = [];
  let opened = 0;
  for (const [g, file] of files.entries()) {
    const load = start('bench/signaling-load.ts', {
      PHASE: 'hold',
      // The first half stays open while the second opens and settles: three heartbeats after the last.
      SECONDS: String(15 + (generators - 1 - g) * 15),
      ROOMS_FILE: file,
      TARGET: 'ours',
      BASE: `ws://127.0.0.1:${cluster.ports[0]}`,
      LOCAL_ADDRESSES: '127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4',
    });
    loads.push(load);
    opened += (await load.next<{ opened: number }>()).opened;
    settled.push({ opened, rssMb: await settledRss() });
  }
  const redisHeld = await redisBytes();
  const held = (await Promise.all(loads.map((load) => load.next<{ held: number }>()))).reduce(
    (sum, { held }) => sum + held,
    0,
  );
  client.disconnect();
  await cluster.stop();
  const [half, full] = settled as [(typeof settled)[0], (typeof settled)[0]];
  return {
    openFileLimit: limit,
    sockets,
    opened,
    held,
    rssBeforeMb: rssBefore,
    rssHalfMb: half.rssMb,
    rssSettledMb: full.rssMb,
    rssPeakMb: rssPeak,
    serviceKbPerSocket: ((full.rssMb - rssBefore) * 1024) / opened,
    marginalKbPerSocket: ((full.rssMb - half.rssMb) * 1024) / (full.opened - half.opened),
    redisBytesPerSocket: (redisHeld - redisBefore) / opened,
  };
}

/** A backlog of `count` messages written first, then sent by `workers` instances; sends per second. */
async function drain(workers: number, backend: 'postgres' | 'sqlite', count = 6_000) {
  const graph = await startGraph();
  const env =
    backend === 'postgres'
      ? await postgresDeployment()
      : { DATA_DIR: mkdtempSync(path.join(workDir, 'sqlite-')) };
  await withStorage(env, async (storage) => {
    for (let i = 0; i < count; i += 500) {
      const messages = Array.from({ length: 500 }, (_, j) => ({
        id: `backlog-${i + j}`,
        kind: 'reply' as const,
        line: 'main',
        to: `5733${String(i + j).padStart(8, '0')}`,
        content: { type: 'text', text: { body: 'Hola' } },
      }));
      await storage.ledger.commit(`backlog-${i}`, { rooms: [], messages }, Date.now());
    }
  });
  const startedAt = performance.now();
  const cluster = await instances(workers, graph.baseUrl, env);
  const marks: number[] = [];
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(50)) {
    const { unique } = await graph.stats();
    if (marks.length === 0 && unique >= count * 0.1) marks.push(performance.now());
    if (marks.length === 1 && unique >= count * 0.9) marks.push(performance.now());
    if (unique >= count) break;
  }
  const sends = await graph.drained(count);
  await cluster.stop();
  graph.child.kill();
  return {
    backend,
    workers,
    messages: count,
    // The steady middle: from 10 % to 90 % sent, so that the instances' start does not count.
    sendsPerSecond: (count * 0.8) / (((marks[1] ?? NaN) - (marks[0] ?? NaN)) / 1000),
    allSentInMs: sends.doneAt - startedAt,
    duplicates: sends.accepted - sends.unique,
    lost: count - sends.unique,
  };
}

const graph = await startGraph();
/** SCALE_PARTS=hold,drain runs only those parts (webhook, relay, hold, drain): for repeated runs. */
const parts = new Set((process.env.SCALE_PARTS ?? 'webhook,relay,hold,drain').split(','));
const step = async <T>(name: string, work: () => Promise<T>): Promise<T | undefined> => {
  if (!parts.has(name)) return undefined;
  process.stderr.write(`scale-out: ${name}…\n`);
  return work();
};
const results = {
  webhook: await step('webhook', async () => [await webhooks(1), await webhooks(2)]),
  relay: await step('relay', () => relay(graph.baseUrl)),
  hold: await step('hold', () => hold(graph.baseUrl)),
  drain: await step('drain', async () => [
    await drain(1, 'sqlite'),
    await drain(1, 'postgres'),
    await drain(2, 'postgres'),
  ]),
};
export type ScaleOutResults = typeof results;
graph.child.kill();
await Promise.all([postgres.close(), redis.stop()]);
rmSync(workDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(results)}\n`);
process.exit(0);
