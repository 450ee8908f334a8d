import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callConnectWebhook, FakeWhatsAppCaller } from '../fakes/fake-whatsapp-caller.js';
import { TestPeer } from '../helpers/signaling-client.js';
import { apiKeyFor, eventually } from '../helpers/test-app.js';
import { voiceCallsHarness } from '../helpers/voice-calls.js';
import { notification, textMessage } from '../helpers/webhook-payloads.js';

// Where the invitation offers joining by voice (a wa.me/call link with the seat's payload): the bot's own
// invitation, the one the inviter forwards, the REST API's; and a call from that link lands in the invitee's seat.

const { graph, callingApp, postCall, actionsFor } = voiceCallsHarness();

describe('invitations that offer joining by WhatsApp voice', () => {
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
        graph().accepted.find(
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
    const inviterMessage = graph().accepted.find((send) => send.body.to === '573001112233');
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
      () => graph().accepted.find((send) => /\/i\/[\w-]{22}\?k=/.test(JSON.stringify(send.body))),
      { what: 'the forward link' },
    );
    const path = /\/i\/[\w-]{22}\?k=[\w-]{22}/.exec(JSON.stringify(forward.body))?.[0] as string;
    const response = await app.inject({ method: 'GET', url: path, headers: { accept: 'application/json' } });
    const { text } = response.json<{ text: string }>();
    assert.match(text, /https:\/\/wa\.me\/call\/573005550100\?biz_payload=wwbv1\./);
  });

  it("fills the invitation template's voice-call button outside the window, and its call takes the invitee's seat", async (t) => {
    const app = await callingApp(
      t,
      'inbound',
      {},
      {
        WHATSAPP_INVITE_TEMPLATE: 'invitacion_videollamada',
        WHATSAPP_INVITE_TEMPLATE_VOICE_BUTTON_INDEX: '1',
      },
    );
    const invitee = '573007776655';
    // The invitee never wrote: the bot may reach them only with the approved template.
    await postCall(
      app,
      notification([textMessage('573001112233', `videollamada +${invitee}`)], { name: 'Ana' }),
    );
    const invitation = await eventually(
      () => graph().accepted.find((send) => send.body.to === invitee && send.body.type === 'template'),
      { what: 'the template invitation' },
    );
    const components = (
      invitation.body.template as {
        components: { sub_type?: string; index?: string; parameters: object[] }[];
      }
    ).components;
    const voice = components.find((component) => component.sub_type === 'voice_call');
    assert.equal(voice?.index, '1');
    const [ttl, payload] = voice.parameters as [{ ttl_minutes: number }, { payload: string }];
    // The button works as long as the room (ROOM_TTL, 24 h by default).
    assert.equal(ttl.ttl_minutes, 1440);
    const roomId = payload.payload.split('.')[1] as string;

    const caller = await FakeWhatsAppCaller.start();
    t.after(() => caller.close());
    const callId = 'wacid.from-template';
    // A template's call button comes back as cta_payload.
    await postCall(
      app,
      callConnectWebhook({ callId, from: invitee, offer: caller.offer, payload: payload.payload }),
    );
    const preAccept = await eventually(
      () => actionsFor(callId).find((body) => body.action === 'pre_accept'),
      { timeoutMs: 10_000, what: 'pre_accept' },
    );
    await caller.answered(preAccept.session?.sdp ?? '');
    await eventually(() => actionsFor(callId).some((body) => body.action === 'accept'), { what: 'accept' });
    const inviterMessage = graph().accepted.find(
      (send) => send.body.to === '573001112233' && JSON.stringify(send.body).includes(`/room/${roomId}#k=`),
    );
    const hostKey = /#k=([\w-]{22})/.exec(JSON.stringify(inviterMessage?.body))?.[1] as string;
    const host = await TestPeer.connect(app, roomId, hostKey);
    t.after(() => host.socket.close());
    const joined = await eventually(() => host.received.find((message) => message.type === 'joined'));
    assert.match(String(joined.type === 'joined' && joined.peerSessionId), /^whatsapp-/);
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
        graph().accepted.find(
          (send) => send.body.to === guest && JSON.stringify(send.body).includes('/room/'),
        ),
      { what: "the API call's invitation" },
    );
    assert.match(JSON.stringify(invitation.body), /wa\.me\/call\/573005550100\?biz_payload=wwbv1\./);
  });
});
