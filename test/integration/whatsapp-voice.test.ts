import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { voicePayload } from '../../src/calling/voice-payload.js';
import { hashSeatKey } from '../../src/rooms/room.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import {
  callConnectWebhook,
  callTerminateWebhook,
  FakeWhatsAppCaller,
} from '../fakes/fake-whatsapp-caller.js';
import { seedRoom, socketBase, TestPeer } from '../helpers/signaling-client.js';
import { weriftPage } from '../helpers/werift-page.js';
import { apiKeyFor, cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import { notification, signed, textMessage } from '../helpers/webhook-payloads.js';

// A WhatsApp voice call bridged into a room: the fake WhatsApp caller (ICE-lite, Opus) on one side, the host's
// page (a werift peer speaking the page's signaling) on the other; Opus must flow both ways through the bridge.

let graph: FakeGraphApi;
before(async () => {
  graph = await FakeGraphApi.start();
});
after(() => graph.close());

async function callingApp(t: TestContext, mode = 'inbound'): Promise<FastifyInstance> {
  const app = await startApp(
    t,
    cloudConfig(graph.baseUrl, {
      WHATSAPP_CALLING: mode,
      CALL_BRIDGE_ADDRESSES: '127.0.0.1',
      WHATSAPP_DISPLAY_NUMBER: '+57 300 555 0100',
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

async function postCall(app: FastifyInstance, payload: unknown) {
  const { headers, payload: body } = signed(payload);
  const response = await app.inject({ method: 'POST', url: '/webhook', headers, payload: body });
  assert.equal(response.statusCode, 200);
}

const actionsFor = (callId: string) =>
  graph.callActions
    .map((record) => record.body as { call_id?: string; action?: string; session?: { sdp?: string } })
    .filter((body) => body.call_id === callId);

/** The host's page (the impolite seat: it offers once the other seat is taken), audio only. */
function hostPage(app: FastifyInstance, roomId: string, seatKey: string, clientId?: string) {
  return weriftPage(socketBase(app), roomId, seatKey, clientId);
}

/** A room with the host's page in it, and the invitee calling by WhatsApp from the button: answered. */
async function bridgedCall(t: TestContext, app: FastifyInstance, callId: string) {
  const { room, seatKeys } = await seedRoom(app);
  const host = await hostPage(app, room.id, seatKeys[0]);
  const caller = await FakeWhatsAppCaller.start();
  t.after(async () => {
    await host.close();
    await caller.close();
  });
  const payload = voicePayload(room.id, 1, hashSeatKey(seatKeys[1]));
  await postCall(app, callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }));
  const preAccept = await eventually(() => actionsFor(callId).find((body) => body.action === 'pre_accept'), {
    timeoutMs: 10_000,
    what: 'pre_accept',
  });
  await caller.answered(preAccept.session?.sdp ?? '');
  return { room, seatKeys, host, caller };
}

describe('WhatsApp voice calls bridged into a room', () => {
  it('answers a call from the invitation button, and Opus flows both ways until WhatsApp hangs up', async (t) => {
    const app = await callingApp(t);
    const callId = 'wacid.voice-1';
    const { room, host, caller } = await bridgedCall(t, app, callId);
    await eventually(() => actionsFor(callId).some((body) => body.action === 'accept'), { what: 'accept' });
    // The fake Graph API refuses an answer Meta would refuse: both actions were accepted as they came.
    assert.deepEqual(
      actionsFor(callId).map((body) => body.action),
      ['pre_accept', 'accept'],
    );
    const fromWhatsApp = await eventually(() => host.state.received > 50 && host.state.received, {
      timeoutMs: 15_000,
      what: 'audio from WhatsApp at the page',
    });
    const fromPage = await eventually(() => caller.received > 50 && caller.received, {
      timeoutMs: 15_000,
      what: 'audio from the page at WhatsApp',
    });
    assert.ok(fromWhatsApp > 50 && fromPage > 50);
    assert.equal(app.callBridges.active, 1);
    // The seat is taken by the bridge: the guest's page would be a third person.
    assert.equal(await app.storage.rooms.get(room.id).then((r) => r?.joinedAtMs?.[1] !== undefined), false);

    await postCall(app, callTerminateWebhook({ callId, from: '573004445566' }));
    await eventually(() => host.state.hungUp, { what: 'the page told of the hang-up' });
    assert.equal(app.callBridges.active, 0);
    const metrics = await app.metrics.registry.metrics();
    assert.match(metrics, /wwb_voice_calls_total\{outcome="bridged"\} 1/);
    assert.match(metrics, /wwb_voice_calls_active 0/);
    for (const direction of ['to_room', 'to_whatsapp']) {
      const relayed = new RegExp(`wwb_voice_packets_relayed_total\\{direction="${direction}"\\} (\\d+)`).exec(
        metrics,
      );
      assert.ok(Number(relayed?.[1]) > 50, `${direction}: ${relayed?.[0]}`);
    }
    // WhatsApp ended it: no terminate from us for a call that is already over.
    assert.deepEqual(
      actionsFor(callId).map((body) => body.action),
      ['pre_accept', 'accept'],
    );
  });

  it("offers joining by voice in the invitation, and a call from its link takes the invitee's seat", async (t) => {
    const app = await callingApp(t);
    const invitee = '573004445566';
    // The invitee wrote first (their window is open), then the inviter asks for the call.
    await postCall(app, notification([textMessage(invitee, 'hola')]));
    await postCall(
      app,
      notification([textMessage('573001112233', `videollamada +${invitee}`)], { name: 'Ana' }),
    );
    const invitation = await eventually(
      () =>
        graph.accepted.find(
          (send) => send.body.to === invitee && JSON.stringify(send.body).includes('wa.me/call'),
        ),
      { what: 'the invitation with its voice link' },
    );
    const text = JSON.stringify(invitation.body);
    assert.match(text, /Únete solo con la voz/);
    const link = /https:\/\/wa\.me\/call\/573005550100\?biz_payload=([\w.%-]+)/.exec(text);
    assert.ok(link, text);
    const payload = decodeURIComponent(link[1] as string);
    const seatKey = /#k=([\w-]{22})/.exec(text)?.[1];
    assert.ok(seatKey !== undefined && !payload.includes(seatKey), 'the payload does not carry the seat key');
    const roomId = payload.split('.')[1] as string;
    const room = await app.storage.rooms.get(roomId);
    assert.ok(room);

    const caller = await FakeWhatsAppCaller.start();
    t.after(() => caller.close());
    const callId = 'wacid.from-invitation';
    const connect = callConnectWebhook({ callId, from: invitee, offer: caller.offer });
    // From a wa.me/call link the payload comes as deeplink_payload.
    (connect.entry[0]?.changes[0]?.value.calls[0] as Record<string, unknown>).deeplink_payload = payload;
    await postCall(app, connect);
    const preAccept = await eventually(
      () => actionsFor(callId).find((body) => body.action === 'pre_accept'),
      {
        timeoutMs: 10_000,
        what: 'pre_accept',
      },
    );
    await caller.answered(preAccept.session?.sdp ?? '');
    await eventually(() => actionsFor(callId).some((body) => body.action === 'accept'), { what: 'accept' });
    assert.equal(app.callBridges.active, 1);
    // The invitee is in the room through the bridge, in their own seat: the inviter's page finds them there.
    const inviterMessage = graph.accepted.find((send) => send.body.to === '573001112233');
    const hostKey = /#k=([\w-]{22})/.exec(JSON.stringify(inviterMessage?.body))?.[1] as string;
    const host = await TestPeer.connect(app, roomId, hostKey);
    t.after(() => host.socket.close());
    const joined = await eventually(() => host.received.find((message) => message.type === 'joined'));
    assert.match(String(joined.type === 'joined' && joined.peerSessionId), /^whatsapp-/);
  });

  it('puts the voice link in the invitation the inviter forwards when the bot cannot write to the invitee', async (t) => {
    const app = await callingApp(t);
    await postCall(
      app,
      notification([textMessage('573001112233', 'videollamada +573009998877')], { name: 'Ana' }),
    );
    const forward = await eventually(
      () => graph.accepted.find((send) => /\/i\/[\w-]{22}\?k=/.test(JSON.stringify(send.body))),
      { what: 'the forward link' },
    );
    const path = /\/i\/[\w-]{22}\?k=[\w-]{22}/.exec(JSON.stringify(forward.body))?.[0] as string;
    const response = await app.inject({ method: 'GET', url: path, headers: { accept: 'application/json' } });
    const { text } = response.json<{ text: string }>();
    assert.match(text, /https:\/\/wa\.me\/call\/573005550100\?biz_payload=wwbv1\./);
  });

  it('offers joining by voice in a call created through the REST API', async (t) => {
    const app = await callingApp(t);
    const guest = '573004441122';
    await postCall(app, notification([textMessage(guest, 'hola')]));
    const { auth } = await apiKeyFor(app);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: auth,
      payload: { host: { name: 'Clínica Norte' }, guest: { phone: `+${guest}` } },
    });
    assert.equal(response.statusCode, 201);
    const invitation = await eventually(
      () =>
        graph.accepted.find((send) => send.body.to === guest && JSON.stringify(send.body).includes('/room/')),
      { what: "the API call's invitation" },
    );
    assert.match(JSON.stringify(invitation.body), /wa\.me\/call\/573005550100\?biz_payload=wwbv1\./);
  });

  it('lets the invitee switch to their web link: the page takes the seat, the WhatsApp call ends (no ghost)', async (t) => {
    const app = await callingApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const caller = await FakeWhatsAppCaller.start();
    t.after(() => caller.close());
    const callId = 'wacid.replaced-by-page';
    const payload = voicePayload(room.id, 1, hashSeatKey(seatKeys[1]));
    await postCall(app, callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }));
    await eventually(() => actionsFor(callId).some((body) => body.action === 'accept'), {
      timeoutMs: 10_000,
      what: 'accept',
    });
    const guest = await TestPeer.connect(app, room.id, seatKeys[1]);
    t.after(() => guest.socket.close());
    await eventually(() => actionsFor(callId).some((body) => body.action === 'terminate'), {
      what: 'terminate',
    });
    assert.equal(app.callBridges.active, 0);
    assert.equal(guest.closeCode, undefined, 'the page keeps the seat');
  });

  it("keeps the WhatsApp call through a reload of the other person's page, and carries audio to the new page", async (t) => {
    const app = await callingApp(t);
    const callId = 'wacid.page-reload';
    const { room, seatKeys, host, caller } = await bridgedCall(t, app, callId);
    await eventually(() => host.state.received > 20, { timeoutMs: 15_000, what: 'audio at the first page' });
    // The page reloads: its socket drops without a hang-up, and a new page load takes the seat.
    await host.close();
    const reloaded = await hostPage(app, room.id, seatKeys[0], host.clientId);
    t.after(() => reloaded.close());
    const before = caller.received;
    await eventually(() => reloaded.state.received > 20 && caller.received > before + 20, {
      timeoutMs: 15_000,
      what: 'audio both ways with the reloaded page',
    });
    assert.equal(app.callBridges.active, 1);
    assert.deepEqual(
      actionsFor(callId).map((body) => body.action),
      ['pre_accept', 'accept'],
    );
  });

  it('ends a call whose WhatsApp media never connects, freeing the seat', async (t) => {
    const app = await startApp(
      t,
      cloudConfig(graph.baseUrl, {
        WHATSAPP_CALLING: 'inbound',
        CALL_BRIDGE_ADDRESSES: '127.0.0.1',
        WHATSAPP_DISPLAY_NUMBER: '+57 300 555 0100',
      }),
      { callingMediaTimeoutMs: 300 },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { room, seatKeys } = await seedRoom(app);
    const caller = await FakeWhatsAppCaller.start();
    t.after(() => caller.close());
    const callId = 'wacid.no-media';
    const payload = voicePayload(room.id, 1, hashSeatKey(seatKeys[1]));
    // WhatsApp's side never applies the answer: nothing reaches the bridge.
    await postCall(app, callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }));
    await eventually(() => actionsFor(callId).some((body) => body.action === 'terminate'), {
      timeoutMs: 10_000,
      what: 'terminate after the media timeout',
    });
    assert.deepEqual(
      actionsFor(callId).map((body) => body.action),
      ['pre_accept', 'accept', 'terminate'],
    );
    assert.equal(app.callBridges.active, 0);
    const guest = await TestPeer.connect(app, room.id, seatKeys[1]);
    t.after(() => guest.socket.close());
    assert.equal(guest.closeCode, undefined, "the seat is free for the invitee's page");
    assert.match(await app.metrics.registry.metrics(), /wwb_voice_calls_total\{outcome="media_failed"\} 1/);
  });

  it('ends the WhatsApp call with terminate when the page hangs up', async (t) => {
    const app = await callingApp(t);
    const callId = 'wacid.voice-2';
    const { host, caller } = await bridgedCall(t, app, callId);
    await eventually(() => caller.received > 20, { timeoutMs: 15_000, what: 'audio at WhatsApp' });
    host.socket.send(JSON.stringify({ type: 'leave' }));
    await eventually(() => actionsFor(callId).some((body) => body.action === 'terminate'), {
      what: 'terminate',
    });
    assert.equal(app.callBridges.active, 0);
  });

  for (const [name, payloadFor] of [
    ['without a payload', () => undefined],
    [
      "whose payload was not made with the seat's key",
      (roomId: string) => voicePayload(roomId, 1, 'another key'),
    ],
    ['whose payload is not ours', () => 'promo-2026'],
  ] as const) {
    it(`rejects a call ${name}, and acknowledges the webhook`, async (t) => {
      const app = await callingApp(t);
      const { room } = await seedRoom(app);
      const caller = await FakeWhatsAppCaller.start();
      t.after(() => caller.close());
      const callId = `wacid.${name.replace(/\W+/g, '-')}`;
      const payload = payloadFor(room.id);
      await postCall(app, callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }));
      await eventually(() => actionsFor(callId).some((body) => body.action === 'reject'), { what: 'reject' });
      assert.deepEqual(
        actionsFor(callId).map((body) => body.action),
        ['reject'],
      );
      assert.equal(app.callBridges.active, 0);
    });
  }

  it('rejects a call to an expired room, to a seat in use, and while calling is off', async (t) => {
    const app = await callingApp(t);
    const expired = await seedRoom(app, { nowMs: Date.now() - 7_200_000, ttlSeconds: 3600 });
    const inUse = await seedRoom(app);
    const guest = await TestPeer.connect(app, inUse.room.id, inUse.seatKeys[1]);
    t.after(() => guest.socket.close());
    const off = await callingApp(t, 'off');
    const offRoom = await seedRoom(off);
    const caller = await FakeWhatsAppCaller.start();
    t.after(() => caller.close());
    const cases = [
      { app, callId: 'wacid.expired', room: expired },
      { app, callId: 'wacid.in-use', room: inUse },
      { app: off, callId: 'wacid.off', room: offRoom },
    ];
    for (const { app: target, callId, room } of cases) {
      const payload = voicePayload(room.room.id, 1, hashSeatKey(room.seatKeys[1]));
      await postCall(
        target,
        callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }),
      );
    }
    for (const { callId } of cases)
      await eventually(() => actionsFor(callId).some((body) => body.action === 'reject'), {
        what: `reject ${callId}`,
      });
    assert.equal(guest.closeCode, undefined, 'the page in the seat keeps it');
  });
});
