import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { freePort } from '../helpers/free-port.js';
import { eventually, FAST_OUTBOX, testConfig } from '../helpers/test-app.js';
import { CHROMIUM_FLAGS, joinNewCall, launchChromium, mediaFlows } from './browser.js';

let browser: Browser;
let app: FastifyInstance;
let baseUrl: string;
let ana: Page;
let luis: Page;

before(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = await buildApp(testConfig({ PUBLIC_BASE_URL: baseUrl }), {
    logger: false,
    outboxWorker: FAST_OUTBOX,
  });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
  [ana, luis] = await joinNewCall(browser, app, baseUrl);
  for (const page of [ana, luis]) await mediaFlows(page);
});
after(async () => {
  await browser?.close();
  await app?.close();
});

/** Audio energy `page` receives over a window of `ms` milliseconds (inbound-rtp totalAudioEnergy). */
async function receivedAudioEnergy(page: Page, ms: number): Promise<number> {
  const read = () =>
    page.evaluate(async () => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      let energy = 0;
      (await pcs[pcs.length - 1]!.getStats()).forEach(
        (r: { type: string; kind?: string; totalAudioEnergy?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') energy += r.totalAudioEnergy ?? 0;
        },
      );
      return energy;
    });
  const start = await read();
  await page.waitForTimeout(ms);
  return (await read()) - start;
}

describe('in a call', { timeout: 90_000 }, () => {
  it('mutes: the other side hears silence and sees that the microphone is off', async (t) => {
    const before = await receivedAudioEnergy(luis, 2_500);
    await ana.click('#mute');
    assert.equal(await ana.getAttribute('#mute', 'aria-pressed'), 'true');
    await luis.locator('#remote-muted').waitFor({ state: 'visible' });
    // Audio already on its way when the button was pressed still arrives: wait for a silent window.
    const after = await eventually(
      async () => {
        const energy = await receivedAudioEnergy(luis, 2_500);
        return energy < before / 10 ? energy : undefined;
      },
      { timeoutMs: 15_000, what: 'silence after mute' },
    );
    t.diagnostic(
      `received audio energy over 2.5 s: ${before.toExponential(2)} before mute, ${after.toExponential(2)} after`,
    );
    assert.ok(before > 0, 'the fake microphone was heard before');
    await ana.click('#mute');
    await luis.locator('#remote-muted').waitFor({ state: 'hidden' });
  });

  it('turns the camera off: the other side sees the avatar instead of a frozen frame, and video again after', async () => {
    await ana.click('#camera');
    await luis.locator('#remote-off').waitFor({ state: 'visible' });
    assert.match((await luis.locator('#remote-off').textContent()) ?? '', /apagó su cámara/);
    await ana.click('#camera');
    await luis.locator('#remote-off').waitFor({ state: 'hidden' });
    await mediaFlows(luis);
  });

  it('delivers a chat message to the other side', async () => {
    await ana.click('#chat-toggle');
    await ana.fill('#chat-input', '¿Me escuchas bien?');
    await ana.click('#chat-form button[type=submit]');
    await luis.locator('#chat-log li', { hasText: '¿Me escuchas bien?' }).waitFor();
    assert.equal(await luis.locator('#chat').isVisible(), true);
  });

  it('negotiates VP8 and Opus', async () => {
    const codecs = await luis.evaluate(async () => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      const stats = await pcs[pcs.length - 1]!.getStats();
      const found: string[] = [];
      stats.forEach((r: { type: string; mimeType?: string; codecId?: string; kind?: string }) => {
        if (r.type === 'inbound-rtp' && r.codecId)
          found.push((stats.get(r.codecId) as { mimeType: string }).mimeType);
      });
      return found.sort();
    });
    assert.deepEqual(codecs, ['audio/opus', 'video/VP8']);
  });

  it('counts the call time', async () => {
    await ana.locator('#timer').waitFor({ state: 'visible' });
    assert.match((await ana.locator('#timer').textContent()) ?? '', /^\d+:\d\d$/);
  });
});

describe('in an app’s built-in browser', () => {
  it('explains, offers to open the link in Chrome and to copy it, instead of a dead end', async () => {
    const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
    await app.storage.ledger.commit(`inapp-${room.id}`, { rooms: [room], messages: [] }, Date.now());
    const context = await browser.newContext({
      locale: 'es-CO',
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/470.0.0.0;]',
    });
    const page = await context.newPage();
    await page.goto(roomLink(baseUrl, room.id, seatKeys[1]));
    await page.locator('#call[data-screen="in-app"]').waitFor();
    assert.match((await page.locator('#inapp').textContent()) ?? '', /Abre el enlace en tu navegador/);
    const intent = (await page.getAttribute('#open-chrome', 'href')) ?? '';
    assert.ok(
      intent.startsWith(`intent://127.0.0.1:`) &&
        intent.includes(`?k=${seatKeys[1]}#Intent;scheme=https;package=com.android.chrome;end`),
    );
    assert.equal(await page.locator('#join').isVisible(), false);
    await context.close();
  });
});

describe('on a phone', { timeout: 60_000 }, () => {
  it('switches camera without renegotiating, and video keeps flowing', async () => {
    const phone = {
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    };
    const [caller, callee] = await joinNewCall(browser, app, baseUrl, '', phone);
    for (const page of [caller, callee]) await mediaFlows(page);
    await caller.locator('#switch-camera').waitFor({ state: 'visible' });
    const connectionsBefore = await caller.evaluate(
      () => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.length,
    );
    await caller.click('#switch-camera');
    await caller.locator('#local-video.rear').waitFor();
    await mediaFlows(callee);
    assert.equal(
      await caller.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.length),
      connectionsBefore,
    );
    assert.equal(
      await caller.evaluate(
        () => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.at(-1)!.signalingState,
      ),
      'stable',
    );
    await Promise.all([caller, callee].map((page) => page.context().close()));
  });
});

describe('when camera and microphone are refused', { timeout: 60_000 }, () => {
  it('says how to allow them on this browser, offers a reload, and still joins to watch and listen', async () => {
    // A browser where this site's camera and microphone are blocked, as after a person tapped Block. Without
    // the fake-UI flag, since that flag grants whatever the settings say.
    const refusing = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS.filter((flag) => flag !== '--use-fake-ui-for-media-stream'),
    });
    try {
      const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
      await app.storage.ledger.commit(`denied-${room.id}`, { rooms: [room], messages: [] }, Date.now());
      const context = await refusing.newContext({ locale: 'es-CO' });
      const cdp = await refusing.newBrowserCDPSession();
      const { browserContextIds } = await cdp.send('Target.getBrowserContexts');
      for (const browserContextId of browserContextIds) {
        for (const name of ['camera', 'microphone']) {
          await cdp.send('Browser.setPermission', {
            permission: { name },
            setting: 'denied',
            origin: baseUrl,
            browserContextId,
          });
        }
      }
      const page = await context.newPage();
      await page.goto(roomLink(baseUrl, room.id, seatKeys[0]));
      await page.locator('#join:not([disabled])').click();
      await page.locator('#call[data-media="denied"]').waitFor();
      assert.match(
        (await page.locator('#notice-text').textContent()) ?? '',
        /toca el candado 🔒 junto a la dirección/,
      );
      assert.equal(await page.locator('#rejoin').textContent(), 'Recargar la página');
      assert.equal(await page.locator('#call').getAttribute('data-screen'), 'call');
    } finally {
      await refusing.close();
    }
  });
});
