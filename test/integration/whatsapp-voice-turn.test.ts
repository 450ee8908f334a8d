import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCoturn, type Coturn } from '../helpers/coturn.js';
import { eventually } from '../helpers/test-app.js';
import { voiceCallsHarness } from '../helpers/voice-calls.js';

// A bridge on a host that cannot receive UDP itself (CALL_BRIDGE_TURN=relay): both its legs gather only relay
// candidates from a real coturn, and the audio goes through it.

const { callingApp, actionsFor, bridgedCall } = voiceCallsHarness();
let coturn: Coturn;
before(async () => {
  coturn = await startCoturn('voice-bridge-turn-secret');
});
after(() => coturn.stop());

describe('the voice bridge through TURN', () => {
  it('answers WhatsApp with relay candidates only, and Opus flows both ways through coturn', async (t) => {
    const app = await callingApp(
      t,
      'inbound',
      {},
      { TURN_SECRET: coturn.secret, TURN_URLS: coturn.url, CALL_BRIDGE_TURN: 'relay' },
    );
    const callId = 'wacid.turn-1';
    const { host, caller } = await bridgedCall(t, app, callId);
    const towardsWhatsApp = actionsFor(callId).find((body) => body.action === 'pre_accept')?.session?.sdp;
    await eventually(() => actionsFor(callId).some((body) => body.action === 'accept'), { what: 'accept' });
    const towardsPage = await eventually(() => host.state.answer || false, {
      what: "the bridge's answer to the page",
    });
    for (const sdp of [towardsWhatsApp ?? '', towardsPage]) {
      const candidates = sdp.match(/^a=candidate:.*$/gm) ?? [];
      assert.ok(candidates.length > 0, `no candidates in: ${JSON.stringify(sdp)}`);
      for (const candidate of candidates) assert.match(candidate, / typ relay /);
    }
    await eventually(() => host.state.received > 50, { timeoutMs: 15_000, what: 'audio at the page' });
    await eventually(() => caller.received > 50, { timeoutMs: 15_000, what: 'audio at WhatsApp' });
  });
});
