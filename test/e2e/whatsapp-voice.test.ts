import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { voicePayload } from '../../src/calling/voice-payload.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import {
  callConnectWebhook,
  callTerminateWebhook,
  FakeWhatsAppCaller,
} from '../fakes/fake-whatsapp-caller.js';
import { freePort } from '../helpers/free-port.js';
import { seedRoom } from '../helpers/signaling-client.js';
import { cloudConfig, eventually, FAST_OUTBOX } from '../helpers/test-app.js';
import { signed } from '../helpers/webhook-payloads.js';
import { CAPTURE_PEER_CONNECTIONS, launchChromium, sampleMedia } from './browser.js';
import { startCallService } from './call-service.js';

// The web person in Chromium, the WhatsApp person on the fake (ICE-lite, Opus, as Meta's side behaves). The fake
// plays back what it hears, so the page receives its own fake microphone's tone through both legs of the bridge:
// energy at the page proves Opus crossed the bridge both ways, undecoded.

let graph: FakeGraphApi;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

before(async () => {
  graph = await FakeGraphApi.start();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = await buildApp(
    cloudConfig(graph.baseUrl, {
      PUBLIC_BASE_URL: baseUrl,
      WHATSAPP_CALLING: 'inbound',
      CALL_BRIDGE_ADDRESSES: '127.0.0.1',
      WHATSAPP_DISPLAY_NUMBER: '+57 300 555 0100',
    }),
    { logger: false, outboxWorker: FAST_OUTBOX },
  );
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await app?.close();
  await graph?.close();
});

/** Audio energy and bytes the page has received so far (inbound-rtp). */
async function inboundAudio(page: Page): Promise<{ energy: number; bytes: number }> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const totals = { energy: 0, bytes: 0 };
    const pc = pcs[pcs.length - 1];
    if (pc === undefined) return totals;
    (await pc.getStats()).forEach(
      (r: { type: string; kind?: string; totalAudioEnergy?: number; bytesReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') {
          totals.energy += r.totalAudioEnergy ?? 0;
          totals.bytes += r.bytesReceived ?? 0;
        }
      },
    );
    return totals;
  });
}

/** Energy the page receives over `ms`. */
async function energyOver(page: Page, ms: number): Promise<number> {
  const start = await inboundAudio(page);
  await page.waitForTimeout(ms);
  return (await inboundAudio(page)).energy - start.energy;
}

const actions = (callId: string) =>
  graph.callActions
    .map((record) => record.body as { call_id?: string; action?: string; session?: { sdp?: string } })
    .filter((body) => body.call_id === callId)
    .map((body) => body.action);

/** A room, the host's page joined, and a WhatsApp call from the invitee bridged into it. */
async function bridgedCall(callId: string) {
  const { room, seatKeys } = await seedRoom(app);
  const context = await browser.newContext({ locale: 'es-CO' });
  await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${baseUrl}/room/${room.id}#k=${seatKeys[0]}`);
  await page.locator('#join:not([disabled])').click();
  const caller = await FakeWhatsAppCaller.start();
  const payload = voicePayload(room.id, 1, room.seats[1].keyHash);
  const { headers, payload: body } = signed(
    callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }),
  );
  const response = await fetch(`${baseUrl}/webhook`, { method: 'POST', headers, body });
  assert.equal(response.status, 200);
  const preAccept = await eventually(
    () =>
      graph.callActions
        .map((record) => record.body as { call_id?: string; action?: string; session?: { sdp?: string } })
        .find((action) => action.call_id === callId && action.action === 'pre_accept'),
    { timeoutMs: 15_000, what: 'pre_accept' },
  );
  await caller.answered(preAccept.session?.sdp ?? '', { echo: true });
  return { page, caller, context };
}

describe(
  'a WhatsApp voice call bridged into a room, with the web person in Chromium',
  { timeout: 120_000 },
  () => {
    it('carries audio both ways, shows the voice participant, mutes from each side, and ends with the page', async (t) => {
      const { page, caller, context } = await bridgedCall('wacid.e2e-1');
      t.after(async () => {
        await caller.close();
        await context.close();
      });
      // The page shows a phone where the video would be.
      await page.locator('#remote-off[data-reason="whatsapp-voice"]').waitFor({ state: 'visible' });
      assert.match((await page.textContent('#remote-off-text')) ?? '', /voz, desde WhatsApp/);
      await page.locator('#call[data-screen="call"][data-status="connected"]').waitFor({ timeout: 15_000 });
      const heard = await eventually(
        async () => {
          const energy = await energyOver(page, 1_000);
          return energy > 0 ? energy : undefined;
        },
        { timeoutMs: 15_000, what: 'audio energy at the page' },
      );
      const atWhatsApp = caller.receivedBytes;
      await eventually(() => caller.receivedBytes > atWhatsApp, { what: 'audio bytes at WhatsApp rising' });
      const sample = await sampleMedia(page);
      assert.equal(sample.videoBytes, 0, 'no video comes from a voice call');

      // The WhatsApp person mutes: nothing more reaches the page.
      caller.muted = true;
      const quiet = await eventually(
        async () => {
          const energy = await energyOver(page, 1_500);
          return energy < heard / 10 ? energy : undefined;
        },
        { timeoutMs: 15_000, what: 'silence while WhatsApp is muted' },
      );
      caller.muted = false;
      await eventually(async () => (await energyOver(page, 1_000)) > quiet, {
        timeoutMs: 15_000,
        what: 'audio again',
      });

      // The web person mutes: WhatsApp gets silence, which it plays back, so the page hears nothing.
      await page.click('#mute');
      await eventually(async () => (await energyOver(page, 1_500)) < heard / 10, {
        timeoutMs: 15_000,
        what: 'silence while the page is muted',
      });
      await page.click('#mute');
      t.diagnostic(
        `energy over 1 s heard at the page: ${heard.toExponential(2)}; muted: ${quiet.toExponential(2)}`,
      );

      // The page hangs up: the WhatsApp call is terminated.
      await page.click('#hangup');
      await eventually(() => actions('wacid.e2e-1').includes('terminate'), { what: 'terminate sent' });
      assert.deepEqual(actions('wacid.e2e-1'), ['pre_accept', 'accept', 'terminate']);
      assert.equal(app.callBridges.active, 0);
    });

    it('ends the call on the page when the WhatsApp person hangs up', async (t) => {
      const { page, caller, context } = await bridgedCall('wacid.e2e-2');
      t.after(async () => {
        await caller.close();
        await context.close();
      });
      await eventually(async () => (await inboundAudio(page)).bytes > 0, {
        timeoutMs: 15_000,
        what: 'audio',
      });
      const { headers, payload } = signed(
        callTerminateWebhook({ callId: 'wacid.e2e-2', from: '573004445566' }),
      );
      await fetch(`${baseUrl}/webhook`, { method: 'POST', headers, body: payload });
      await page.locator('#call[data-screen="ended"][data-ended="peer"]').waitFor({ timeout: 15_000 });
      assert.deepEqual(actions('wacid.e2e-2'), ['pre_accept', 'accept']);
    });
  },
);

describe(
  "calling by WhatsApp voice in the sandbox, the page's microphone as the phone",
  { timeout: 120_000 },
  () => {
    it('the invitee taps «Llamar por WhatsApp» in their chat and the person on the call page hears them', async (t) => {
      const sandbox = await startCallService();
      t.after(() => sandbox.app.close());
      const contexts = await Promise.all([0, 1].map(() => browser.newContext({ locale: 'es-CO' })));
      t.after(() => Promise.all(contexts.map((context) => context.close())));
      const [phone, web] = await Promise.all(
        contexts.map(async (context) => {
          await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
          const page = await context.newPage();
          page.setDefaultTimeout(20_000);
          return page;
        }),
      );
      if (phone === undefined || web === undefined) throw new Error('two pages');
      await phone.goto(`${sandbox.baseUrl}/sandbox`);
      // The invitee wrote to the bot (their window is open), then Ana invites them.
      for (const [from, text] of [
        ['+57 300 444 5566', 'hola'],
        ['+57 300 111 2233', 'videollamada +57 300 444 5566'],
      ] as const) {
        await phone.fill('#from', from);
        await phone.fill('#text', text);
        await phone.click('#composer button[type=submit]');
        await phone.locator('#chat .bubble.in', { hasText: text }).last().waitFor();
      }
      const anaLink = phone.locator('#chat .bubble.out a[href*="/room/"]').last();
      await anaLink.waitFor();
      await web.goto((await anaLink.getAttribute('href')) ?? '');
      await web.locator('#join:not([disabled])').click();

      await phone.locator('#people button', { hasText: '444' }).click();
      await phone.locator('#chat .bubble.out', { hasText: 'Únete solo con la voz' }).last().waitFor();
      await phone.locator('#chat .bubble.out button.voice').last().click();
      await phone.locator('#voice-call[data-state="in-call"]').waitFor({ timeout: 15_000 });
      await web.locator('#remote-off[data-reason="whatsapp-voice"]').waitFor({ state: 'visible' });
      // The phone's microphone (Chromium's fake tone) is heard on the call page, and the page's at the phone.
      await eventually(async () => (await energyOver(web, 1_000)) > 0, {
        timeoutMs: 15_000,
        what: 'voice at the page',
      });
      await eventually(async () => (await energyOver(phone, 1_000)) > 0, {
        timeoutMs: 15_000,
        what: 'page at the phone',
      });

      await phone.click('#voice-hangup');
      await phone.locator('#voice-call[data-state="ended"]').waitFor();
      await web.locator('#call[data-screen="ended"][data-ended="peer"]').waitFor({ timeout: 15_000 });
    });
  },
);
