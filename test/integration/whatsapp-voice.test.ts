import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { voicePayload } from '../../src/calling/voice-payload.js';
import { hashSeatKey } from '../../src/rooms/room.js';
import {
  callConnectWebhook,
  callTerminateWebhook,
  FakeWhatsAppCaller,
} from '../fakes/fake-whatsapp-caller.js';
import { seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { eventually } from '../helpers/test-app.js';
import { voiceCallsHarness } from '../helpers/voice-calls.js';

// A WhatsApp voice call bridged into a room: the fake WhatsApp caller (ICE-lite, Opus) on one side, the host's
// page (a werift peer speaking the page's signaling) on the other; Opus must flow both ways through the bridge.

const { callingApp, postCall, actionsFor, hostPage, bridgedCall } = voiceCallsHarness();

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
    // The invitee has joined (by voice): the room knows it, so nobody nudges them to come.
    assert.equal(await app.storage.rooms.get(room.id).then((r) => r?.joinedAtMs?.[1] !== undefined), true);

    await postCall(app, callTerminateWebhook({ callId, from: '573004445566' }));
    await eventually(() => host.state.hungUp, { what: 'the page told of the hang-up' });
    assert.equal(app.callBridges.active, 0);
    const metrics = await app.metrics.registry.metrics();
    assert.match(metrics, /wwb_voice_calls_total\{outcome="bridged"\} 1/);
    assert.match(metrics, /wwb_voice_calls_active 0/);
    // The call history (the operator's dashboard) knows the guest came by WhatsApp voice, and hung up there.
    const history = await eventually(
      async () => {
        const found = await app.storage.history.call(room.id, Date.now());
        return found?.timeline.some((entry) => entry.kind === 'left') === true && found;
      },
      { what: "the guest's hang-up in the history" },
    );
    assert.deepEqual(history.call.agents.guest, { browser: 'WhatsApp', platform: 'WhatsApp voice call' });
    assert.notEqual(history.call.joinedAtMs.guest, null);
    const guestEntries = history.timeline
      .map((entry) => entry.data as { participant?: string })
      .filter((data) => data.participant === 'guest');
    assert.deepEqual(guestEntries, [
      { participant: 'guest', browser: 'WhatsApp', platform: 'WhatsApp voice call' },
      { participant: 'guest', reason: 'hangup' },
    ]);
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
    const app = await callingApp(t, 'inbound', { callingMediaTimeoutMs: 300 });
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

  it('answers the same button again for a second call while the room lives (a dropped call retried)', async (t) => {
    const app = await callingApp(t);
    const { room, seatKeys } = await bridgedCall(t, app, 'wacid.first');
    await postCall(app, callTerminateWebhook({ callId: 'wacid.first', from: '573004445566' }));
    await eventually(() => app.callBridges.active === 0, { what: 'the first call ended' });
    const again = await FakeWhatsAppCaller.start();
    t.after(() => again.close());
    const payload = voicePayload(room.id, 1, hashSeatKey(seatKeys[1]));
    await postCall(
      app,
      callConnectWebhook({ callId: 'wacid.second', from: '573004445566', offer: again.offer, payload }),
    );
    await eventually(() => actionsFor('wacid.second').some((body) => body.action === 'accept'), {
      timeoutMs: 10_000,
      what: 'the second call accepted',
    });
    assert.equal(app.callBridges.active, 1);
  });

  it('terminates its WhatsApp calls when the service stops', async (t) => {
    const app = await callingApp(t);
    const callId = 'wacid.shutdown';
    const { host } = await bridgedCall(t, app, callId);
    await eventually(() => host.state.received > 20, { timeoutMs: 15_000, what: 'audio at the page' });
    await app.close();
    assert.deepEqual(
      actionsFor(callId).map((body) => body.action),
      ['pre_accept', 'accept', 'terminate'],
    );
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
});
