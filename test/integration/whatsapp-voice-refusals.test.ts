import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { voicePayload } from '../../src/calling/voice-payload.js';
import { hashSeatKey } from '../../src/rooms/room.js';
import { callConnectWebhook, FakeWhatsAppCaller } from '../fakes/fake-whatsapp-caller.js';
import { seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { eventually } from '../helpers/test-app.js';
import { voiceCallsHarness } from '../helpers/voice-calls.js';

// Calls the bridge must refuse with `reject`, the webhook still acknowledged.

const { callingApp, postCall, actionsFor } = voiceCallsHarness();

describe('WhatsApp voice calls refused', () => {
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
