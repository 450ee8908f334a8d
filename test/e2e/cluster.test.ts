import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { openStorage } from '../../src/storage/storage.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { freePort } from '../helpers/free-port.js';
import {
  burstInvitation,
  cloudServiceEnv,
  deliverUntilAccepted,
  startService,
} from '../helpers/service-process.js';
import { eventually } from '../helpers/test-app.js';
import { TEST_APP_SECRET } from '../helpers/webhook-payloads.js';
import { startNginx, type NginxServer } from '../servers/nginx-server.js';
import { scaleOutServers } from '../servers/scale-out-servers.js';
import {
  CAPTURE_PEER_CONNECTIONS,
  launchChromium,
  mediaFlows,
  iceRestartSeenBy,
  restartIce,
  sampleMedia,
} from './browser.js';

// The deployment docs/deployment.md describes for several instances: three service processes on one PostgreSQL
// and one Redis, behind deploy/nginx-site.conf with its upstream listing all three (round-robin, no sticky
// sessions). Instances are killed with SIGKILL, the way a machine dies.

const INSTANCES = 3;
const CONFIRM_WAIT_SECONDS = 2;

const servers = scaleOutServers();
let graph: FakeGraphApi;
let nginx: NginxServer;
let browser: Browser;
let ports: number[];
let services: ChildProcess[];
let env: (i: number) => Record<string, string>;

const webhookUrl = (i: number) => `http://127.0.0.1:${ports[i]}/webhook`;

before(async () => {
  await servers.ready();
  graph = await FakeGraphApi.start({ delayMs: 20 });
  ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
  nginx = await startNginx(ports);
  const shared = {
    ...cloudServiceEnv(graph.baseUrl, CONFIRM_WAIT_SECONDS),
    PUBLIC_BASE_URL: nginx.baseUrl,
    TRUST_PROXY: '127.0.0.1',
    DATABASE_URL: await servers.postgres().createDatabase(),
    REDIS_URL: servers.redis().url,
  };
  env = (i) => ({ ...shared, PORT: String(ports[i]) });
  services = await Promise.all(ports.map((port, i) => startService(env(i), port)));
  // Meta reports statuses to the balancer; here straight to the last instance, which is never killed.
  graph.reportStatusesTo(webhookUrl(INSTANCES - 1), TEST_APP_SECRET);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await Promise.all(
    (services ?? []).map(async (service) => {
      if (service.exitCode !== null || service.signalCode !== null) return;
      service.kill('SIGTERM');
      await once(service, 'exit');
    }),
  );
  await nginx?.stop();
  await graph?.close();
});

async function database<T>(query: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: env(0).DATABASE_URL });
  await db.connect();
  try {
    return await query(db);
  } finally {
    await db.end();
  }
}

const count = (sql: string) => database(async (db) => (await db.query<{ n: number }>(sql)).rows[0]?.n ?? -1);

async function kill(i: number): Promise<void> {
  const service = services[i] as ChildProcess;
  service.kill('SIGKILL');
  await once(service, 'exit');
}

/** How many signaling sockets each instance holds, read from its own /metrics (a dead one holds none). */
async function socketsPerInstance(): Promise<number[]> {
  return Promise.all(
    ports.map((port) =>
      fetch(`http://127.0.0.1:${port}/metrics`).then(
        async (response) => Number(/^wwb_signaling_sockets (\d+)/m.exec(await response.text())?.[1] ?? 0),
        () => 0,
      ),
    ),
  );
}

describe('three instances behind nginx on PostgreSQL and Redis', { timeout: 180_000 }, () => {
  it('makes one room and one set of messages when each webhook reaches all three at once, 1,000 times', async (t) => {
    const webhooks = 1_000;
    let next = 0;
    const startedAt = Date.now();
    // Sixteen webhooks under way at a time, each delivered to the three instances at the same moment.
    const deliverer = async () => {
      for (let i = next++; i < webhooks; i = next++) {
        const delivery = burstInvitation(i, 'thrice');
        await Promise.all(ports.map((_, instance) => deliverUntilAccepted(webhookUrl(instance), delivery)));
      }
    };
    await Promise.all(Array.from({ length: 16 }, deliverer));
    const deliveredIn = Date.now() - startedAt;
    // Two messages per invitation (the invitee never wrote): all sent, none waiting, none sent twice.
    const expected = webhooks * 2;
    await eventually(
      async () => (await count(`SELECT count(*)::int AS n FROM outbox WHERE state = 'sent'`)) === expected,
      { timeoutMs: 60_000, what: 'every message sent' },
    );
    const rooms = await count('SELECT count(*)::int AS n FROM rooms');
    const outbox = await count('SELECT count(*)::int AS n FROM outbox');
    const ids = graph.accepted.map((send) => String(send.body.biz_opaque_callback_data));
    t.diagnostic(
      `${webhooks} webhooks × ${INSTANCES} instances in ${deliveredIn} ms: ${rooms} rooms, ` +
        `${outbox} messages, ${ids.length} sends`,
    );
    assert.equal(rooms, webhooks);
    assert.equal(outbox, expected);
    assert.equal(ids.length, expected);
    assert.equal(new Set(ids).size, expected);
  });

  it('sends 200 invitations through nginx exactly once while an instance is killed and restarted', async (t) => {
    const invitations = 200;
    const first = 10_000;
    const sendsBefore = graph.accepted.length;
    const proxy = {
      post: (headers: Record<string, string>, body: string) => nginx.post('/webhook', headers, body),
    };
    const deliveries = Array.from({ length: invitations }, (_, i) =>
      sleep(i * 5).then(() => deliverUntilAccepted(proxy, burstInvitation(first + i, 'through-nginx'))),
    );
    const sentSince = () => graph.accepted.slice(sendsBefore);
    await eventually(() => sentSince().length >= invitations / 2, { timeoutMs: 30_000, what: 'the burst' });
    await kill(0);
    const sentAtKill = sentSince().length;
    services[0] = await startService(env(0), ports[0] as number);
    const attempts = await Promise.all(deliveries);

    const expected = invitations * 2;
    const ids = () => sentSince().map((send) => String(send.body.biz_opaque_callback_data));
    await eventually(() => new Set(ids()).size === expected, {
      timeoutMs: 60_000,
      what: 'every message sent',
    });
    await eventually(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM outbox WHERE state NOT IN ('sent', 'failed')`)) === 0,
      { timeoutMs: 30_000, what: 'nothing left to send or confirm' },
    );
    await graph.statusesDelivered();
    const retried = attempts.filter((n) => n > 1).length;
    const takenOver = await count('SELECT count(*)::int AS n FROM outbox WHERE attempts > 1');
    t.diagnostic(
      `${invitations} invitations through nginx, instance 1 of ${INSTANCES} killed after ${sentAtKill} sends: ` +
        `${ids().length} sends for ${expected} messages, ${retried} webhooks delivered again, ` +
        `${takenOver} messages the dead instance had under way, taken over`,
    );
    assert.equal(ids().length - new Set(ids()).size, 0, 'nothing sent twice');
    assert.equal(new Set(ids()).size, expected, 'nothing lost');
  });

  it('keeps a call going when the instance of one of its people dies', async (t) => {
    const storage = await openStorage({
      dataDir: '',
      databaseUrl: env(0).DATABASE_URL,
      sharedLiveState: true,
      now: Date.now,
    });
    const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
    await storage.ledger.commit(`cluster-${room.id}`, { rooms: [room], messages: [] }, Date.now());
    await storage.close();

    const open = async (key: string): Promise<Page> => {
      const context = await browser.newContext({ locale: 'es-CO', ignoreHTTPSErrors: true });
      await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(roomLink(nginx.baseUrl, room.id, key));
      await page.locator('#join:not([disabled])').click();
      await page.locator('#call[data-signaling="up"]').waitFor();
      return page;
    };
    const holding = async (sockets: number) =>
      eventually(
        async () => {
          const held = await socketsPerInstance();
          return held.reduce((a, b) => a + b) === sockets ? held : undefined;
        },
        { timeoutMs: 10_000, what: `${sockets} signaling sockets` },
      );
    const ana = await open(seatKeys[0]);
    const anaOn = (await holding(1)).findIndex((n) => n === 1);
    const luis = await open(seatKeys[1]);
    // Round-robin decides where Luis lands; a reload moves him on until he is on another instance than Ana.
    for (let reloads = 0; (await holding(2))[anaOn] === 2; reloads++) {
      assert.ok(reloads < INSTANCES * 2, 'round-robin never put Luis on another instance');
      await luis.reload();
      await luis.locator('#join:not([disabled])').click();
      await luis.locator('#call[data-signaling="up"]').waitFor();
    }
    for (const page of [ana, luis]) await mediaFlows(page);

    const framesAtKill = await sampleMedia(luis);
    const killedAt = Date.now();
    await kill(anaOn);
    // The media goes peer to peer: it never waits for the instances.
    for (const page of [ana, luis]) await mediaFlows(page, 10_000);
    assert.ok((await sampleMedia(luis)).videoFramesDecoded > framesAtKill.videoFramesDecoded);
    // Ana's page reconnects through nginx to a live instance and takes her seat back.
    const held = await holding(2);
    await ana.locator('#call[data-signaling="up"][data-status="connected"]').waitFor();
    const backAfter = Date.now() - killedAt;
    assert.equal(held[anaOn], 0);
    assert.ok(backAfter <= 5_000, `signaling back after ${backAfter} ms`);

    // Signaling carries negotiation again: an ICE restart goes through the instance Ana reconnected to.
    await iceRestartSeenBy(luis, () => restartIce(ana), 'an ICE restart negotiated through another instance');
    for (const page of [ana, luis]) await mediaFlows(page);
    t.diagnostic(
      `Ana on instance ${anaOn + 1}, Luis on another; instance ${anaOn + 1} killed: media kept flowing, ` +
        `Ana's signaling back through nginx after ${backAfter} ms, ICE restart negotiated`,
    );
  });
});
