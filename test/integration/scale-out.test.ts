import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { voicePayload } from '../../src/calling/voice-payload.js';
import { callConnectWebhook, FakeWhatsAppCaller } from '../fakes/fake-whatsapp-caller.js';
import { RefusedUpgrade, seedRoom, socketBase, TestPeer } from '../helpers/signaling-client.js';
import { weriftPage } from '../helpers/werift-page.js';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { burstInvitation, deliverUntilAccepted } from '../helpers/service-process.js';
import {
  apiKeyFor,
  cloudConfig,
  eventually,
  FAST_OUTBOX,
  startApp,
  testConfig,
} from '../helpers/test-app.js';
import { signed, TEST_APP_SECRET } from '../helpers/webhook-payloads.js';
import { scaleOutServers } from '../servers/scale-out-servers.js';

// Two instances of the service on one PostgreSQL and one Redis, as behind a round-robin balancer: the two
// people of a room on different instances.

const servers = scaleOutServers();

async function twoInstances(t: TestContext, extra: Record<string, string> = {}) {
  const env = {
    DATABASE_URL: await servers.postgres().createDatabase(),
    REDIS_URL: servers.redis().url,
    ...extra,
  };
  const apps = [];
  for (let i = 0; i < 2; i++) {
    const app = await startApp(t, testConfig(env));
    await app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(app);
  }
  return apps as [(typeof apps)[0], (typeof apps)[0]];
}

/** Ana seated on one instance, Luis on the other, both welcomed. */
async function callAcrossInstances(t: TestContext) {
  const [one, two] = await twoInstances(t);
  const { room, seatKeys } = await seedRoom(one);
  const ana = await TestPeer.connect(one, room.id, seatKeys[0]);
  await ana.next('joined');
  const luis = await TestPeer.connect(two, room.id, seatKeys[1]);
  await luis.next('joined');
  return { one, two, room, seatKeys, ana, luis };
}

describe('several instances (DATABASE_URL + REDIS_URL)', () => {
  it('answers for any room on any instance, and relays between people on different instances', async (t) => {
    const [one, two] = await twoInstances(t);
    const { room, seatKeys } = await seedRoom(one);
    for (const app of [one, two]) {
      const response = await app.inject({
        url: `/api/rooms/${room.id}`,
        headers: { authorization: `Bearer ${seatKeys[1]}` },
      });
      assert.equal(response.statusCode, 200);
    }
    const ana = await TestPeer.connect(one, room.id, seatKeys[0]);
    await ana.next('joined');
    const luis = await TestPeer.connect(two, room.id, seatKeys[1]);
    const welcome = await luis.next('joined');
    assert.notEqual(
      welcome.peerSessionId,
      null,
      'Luis is told Ana is there, though she is on the other instance',
    );
    await ana.next('peer-joined');
    ana.send({ type: 'description', description: { type: 'offer', sdp: 'v=0 offer' } });
    assert.deepEqual((await luis.next('description')).description, { type: 'offer', sdp: 'v=0 offer' });
    luis.send({ type: 'description', description: { type: 'answer', sdp: 'v=0 answer' } });
    assert.deepEqual((await ana.next('description')).description, { type: 'answer', sdp: 'v=0 answer' });
    // A third person on either instance is refused: the seat is held, wherever.
    for (const app of [one, two]) {
      await assert.rejects(TestPeer.connect(app, room.id, seatKeys[1]), (error: unknown) => {
        return error instanceof RefusedUpgrade && error.code === 'SEAT_TAKEN';
      });
    }
    ana.socket.close();
    luis.socket.close();
  });

  it('tells the person on another instance at once when an instance shuts down', async (t) => {
    const { one, luis } = await callAcrossInstances(t);
    // A deploy stops Ana's instance: her seat is freed, and Luis hears it, before its live state closes.
    await one.close();
    assert.equal((await luis.next('peer-left')).reason, 'lost');
    luis.socket.close();
  });

  it('lets a reload that lands on the other instance take the seat back, closing the old socket', async (t) => {
    const [one, two] = await twoInstances(t);
    const { room, seatKeys } = await seedRoom(one);
    const ids = { client: 'tab-of-ana' };
    const first = await TestPeer.connect(one, room.id, seatKeys[0], { ...ids, session: 'page-load-1' });
    await first.next('joined');
    const again = await TestPeer.connect(two, room.id, seatKeys[0], { ...ids, session: 'page-load-2' });
    await again.next('joined');
    assert.equal(await first.closed(), 4001);
    const luis = await TestPeer.connect(one, room.id, seatKeys[1]);
    assert.equal((await luis.next('joined')).peerSessionId, 'page-load-2');
    again.socket.close();
    luis.socket.close();
  });

  it('recovers by itself when Redis restarts mid-call: seats held again, frames relayed again', async (t) => {
    const { one, two, room, seatKeys, ana, luis } = await callAcrossInstances(t);
    await servers.redis().stop();
    await servers.redis().start();
    // Redis came back empty: each instance writes back the seats its sockets hold.
    const api = (app: typeof one, key: string) =>
      app.inject({ url: `/api/rooms/${room.id}`, headers: { authorization: `Bearer ${key}` } });
    await eventually(async () => (await api(one, seatKeys[1])).json().peerPresent === true, {
      timeoutMs: 10_000,
      what: 'Ana’s seat held again',
    });
    await eventually(async () => (await api(two, seatKeys[0])).json().peerPresent === true, {
      timeoutMs: 10_000,
      what: 'Luis’s seat held again',
    });
    await assert.rejects(TestPeer.connect(two, room.id, seatKeys[0]), RefusedUpgrade);
    ana.send({ type: 'description', description: { type: 'offer', sdp: 'v=0 after the restart' } });
    const offer = await eventually(
      () =>
        luis.received.find((m) => m.type === 'description' && m.description.sdp === 'v=0 after the restart'),
      { timeoutMs: 10_000, what: 'the offer relayed after the restart' },
    );
    assert.ok(offer);
    ana.socket.close();
    luis.socket.close();
  });
});

describe('the REST API on several instances', () => {
  it('counts each key’s requests once for all instances, and any instance answers for any call', async (t) => {
    const [one, two] = await twoInstances(t, { API_RATE_LIMIT_PER_MINUTE: '3' });
    const { auth } = await apiKeyFor(one, ['write']);
    const payload = { host: { name: 'Clínica Norte' }, guest: { phone: '+573004445566' } };
    const created = await one.inject({ method: 'POST', url: '/api/v1/calls', headers: auth, payload });
    const { id } = created.json<{ id: string }>();
    const statuses = [created.statusCode];
    for (const app of [two, one, two]) {
      statuses.push((await app.inject({ url: `/api/v1/calls/${id}`, headers: auth })).statusCode);
    }
    assert.deepEqual(
      statuses,
      [201, 200, 200, 429],
      'the fourth request is refused, whichever instance gets it',
    );
  });
});

describe('PostgreSQL restarted during a send storm', () => {
  it('answers 5xx only while it is down, loses nothing and sends nothing twice', async (t) => {
    const graph = await FakeGraphApi.start({ delayMs: 20 });
    t.after(() => graph.close());
    const databaseUrl = await servers.postgres().createDatabase();
    const app = await startApp(t, cloudConfig(graph.baseUrl, { DATABASE_URL: databaseUrl }), {
      outboxWorker: { ...FAST_OUTBOX, maxAttempts: 1_000, retryMaxDelayMs: 200 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhook`;
    graph.reportStatusesTo(url, TEST_APP_SECRET);
    const count = 100;
    const statuses: number[] = [];
    const deliveries = Array.from({ length: count }, (_, i) =>
      sleep(i * 10).then(() =>
        deliverUntilAccepted(url, burstInvitation(i, 'storm'), (status) => statuses.push(status)),
      ),
    );
    await eventually(() => graph.accepted.length >= 20, { what: 'the storm under way' });
    await servers.postgres().stop();
    await sleep(500);
    await servers.postgres().start();
    await Promise.all(deliveries);
    const expected = count * 2;
    const ids = () => graph.accepted.map((send) => String(send.body.biz_opaque_callback_data));
    await eventually(() => new Set(ids()).size === expected, {
      timeoutMs: 20_000,
      what: 'every message sent',
    });
    await graph.statusesDelivered();
    const refused = statuses.filter((status) => status !== 200);
    t.diagnostic(
      `${count} invitations, PostgreSQL down 0.5 s: ${refused.length} webhook answers were errors ` +
        `(${[...new Set(refused)].join(', ')}), ${ids().length} sends for ${expected} messages`,
    );
    assert.ok(refused.length > 0, 'the outage was felt');
    assert.ok(
      refused.every((status) => status >= 500),
      'only 5xx, so that Meta retries',
    );
    assert.equal(ids().length, new Set(ids()).size, 'nothing sent twice');
  });
});

describe('WhatsApp voice calls on several instances', () => {
  it('bridges a WhatsApp voice call answered on one instance into a room whose other person is on the other', async (t) => {
    const graph = await FakeGraphApi.start();
    t.after(() => graph.close());
    const [one, two] = await twoInstances(t, {
      WHATSAPP_TOKEN: 'test-token',
      GRAPH_API_BASE_URL: graph.baseUrl,
      WHATSAPP_CALLING: 'inbound',
      CALL_BRIDGE_ADDRESSES: '127.0.0.1',
      WHATSAPP_DISPLAY_NUMBER: '+57 300 555 0100',
    });
    const { room, seatKeys } = await seedRoom(one);
    const host = await weriftPage(socketBase(two), room.id, seatKeys[0]);
    const caller = await FakeWhatsAppCaller.start();
    t.after(async () => {
      await host.close();
      await caller.close();
    });
    const callId = 'wacid.across-instances';
    const payload = voicePayload(room.id, 1, room.seats[1].keyHash);
    const { headers, payload: body } = signed(
      callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }),
    );
    assert.equal(
      (await one.inject({ method: 'POST', url: '/webhook', headers, payload: body })).statusCode,
      200,
    );
    const preAccept = await eventually(
      () =>
        graph.callActions
          .map((record) => record.body as { call_id?: string; action?: string; session?: { sdp?: string } })
          .find((action) => action.call_id === callId && action.action === 'pre_accept'),
      { timeoutMs: 10_000, what: 'pre_accept' },
    );
    await caller.answered(preAccept.session?.sdp ?? '');
    // The bridge lives on the first instance; the page's signaling reaches it through Redis.
    await eventually(() => host.state.received > 50 && caller.received > 50, {
      timeoutMs: 15_000,
      what: 'audio both ways across instances',
    });
    assert.equal(host.state.via, 'whatsapp-voice');
    assert.equal(one.callBridges.active, 1);
    assert.equal(two.callBridges.active, 0);
  });
});
