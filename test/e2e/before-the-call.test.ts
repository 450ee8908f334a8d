import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createRoom, OPENS_BEFORE_MS, roomLink } from '../../src/rooms/room.js';
import { CAPTURE_PEER_CONNECTIONS, CHROMIUM_FLAGS, mediaFlows } from './browser.js';
import { startCallService } from './call-service.js';

let browser: Browser;
let app: FastifyInstance;
let baseUrl: string;

before(async () => {
  ({ app, baseUrl } = await startCallService());
  // Three fake cameras and several fake microphones, as on a laptop with cameras plugged in. Chromium's second
  // fake camera is a depth camera (16-bit grey) that no video encoder takes, so the tests use the first and
  // the third.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      ...CHROMIUM_FLAGS.filter((flag) => flag !== '--use-fake-device-for-media-stream'),
      '--use-fake-device-for-media-stream=device-count=3',
    ],
  });
});
after(async () => {
  await browser?.close();
  await app?.close();
});

/** A room and a page for each person at their link, on the pre-join screen (not joined). */
async function openLinks(
  locale = 'es-CO',
  owners: Parameters<typeof createRoom>[0]['owners'] = [{}, {}],
  contextOptions: Parameters<Browser['newContext']>[0] = {},
  startsAtMs?: number,
): Promise<[Page, Page]> {
  const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners, startsAtMs });
  await app.storage.ledger.commit(`prejoin-${room.id}`, { rooms: [room], messages: [] }, Date.now());
  const pages: Page[] = [];
  for (const key of seatKeys) {
    const context = await browser.newContext({ locale, ...contextOptions });
    await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(roomLink(baseUrl, room.id, key));
    pages.push(page);
  }
  return pages as [Page, Page];
}

/** The device the page's own camera preview comes from. */
const previewCamera = (page: Page) =>
  page.$eval(
    '#local-video',
    (video: HTMLVideoElement) => (video.srcObject as MediaStream).getVideoTracks()[0]!.getSettings().deviceId,
  );

describe('before the call', { timeout: 90_000 }, () => {
  it('previews the camera, shows whether the other person is in, and keeps the microphone off if asked', async () => {
    const [ana, luis] = await openLinks();
    await ana.locator('#call[data-screen="prejoin"]').waitFor();
    await ana.waitForFunction(
      () => (document.getElementById('local-video') as HTMLVideoElement).videoWidth > 0,
    );
    assert.equal(await ana.locator('#peer-state').textContent(), 'La otra persona aún no ha entrado.');

    await luis.locator('#join:not([disabled])').click();
    await ana.locator('#peer-state[data-present="true"]').waitFor();
    assert.equal(await ana.locator('#peer-state').textContent(), 'La otra persona ya está en la sala.');

    await ana.click('#pre-mute');
    assert.equal(await ana.getAttribute('#pre-mute', 'aria-pressed'), 'true');
    await ana.click('#join');
    // The choice carries into the call: the in-call button shows it and the other side sees it.
    assert.equal(await ana.getAttribute('#mute', 'aria-pressed'), 'true');
    await luis.locator('#remote-muted').waitFor({ state: 'visible' });
    for (const page of [ana, luis]) await mediaFlows(page);
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });

  it('offers a choice of camera and microphone where there are several, and the call uses the one chosen', async () => {
    const [ana, luis] = await openLinks();
    await ana.locator('#camera-choice').waitFor({ state: 'visible' });
    await ana.locator('#mic-choice').waitFor({ state: 'visible' });
    const cameras = await ana.$$eval('#camera-select option', (options) =>
      options.map((o) => (o as HTMLOptionElement).value),
    );
    assert.equal(cameras.length, 3);
    assert.equal(await previewCamera(ana), cameras[0]);
    await ana.selectOption('#camera-select', cameras[2]!);
    await ana.waitForFunction(
      (id) =>
        (document.getElementById('local-video') as HTMLVideoElement).srcObject instanceof MediaStream &&
        ((document.getElementById('local-video') as HTMLVideoElement).srcObject as MediaStream)
          .getVideoTracks()[0]
          ?.getSettings().deviceId === id,
      cameras[2],
    );

    for (const page of [ana, luis]) await page.locator('#join:not([disabled])').click();
    for (const page of [ana, luis]) await mediaFlows(page);
    const sent = await ana.evaluate(
      () =>
        (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.getSenders()
          .find((s) => s.track?.kind === 'video')!
          .track!.getSettings().deviceId,
    );
    assert.equal(sent, cameras[2]);

    // In the call, the camera button goes to the next camera (here back to the first) on the same sender: no
    // renegotiation.
    await ana.locator('#switch-camera').click();
    await ana.waitForFunction(
      (id) =>
        (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.getSenders()
          .find((s) => s.track?.kind === 'video')!
          .track!.getSettings().deviceId === id,
      cameras[0],
    );
    await mediaFlows(luis);
    assert.equal(await ana.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length), 1);
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });

  it('speaks English to a browser that prefers it, buttons and labels included', async () => {
    const [ana, luis] = await openLinks('en-US');
    await ana.locator('#call[data-screen="prejoin"]').waitFor();
    assert.equal(await ana.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await ana.locator('#title').textContent(), 'Video call');
    assert.equal(await ana.locator('#peer-state').textContent(), 'The other person has not joined yet.');
    assert.equal(await ana.locator('#join').textContent(), 'Join');
    assert.equal(await ana.getAttribute('#pre-mute', 'aria-label'), 'Mute');
    assert.equal(await ana.getAttribute('#hangup', 'aria-label'), 'Hang up');
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });

  it('says whom the link calls, by name or by a number shown only in part, and never the whole number', async () => {
    const [ana, luis] = await openLinks('es-CO', [
      { waId: '573001112233', name: 'Ana' },
      { waId: '573004445566' },
    ]);
    await luis.locator('#title', { hasText: 'Videollamada con Ana' }).waitFor();
    await ana.locator('#title', { hasText: 'Videollamada con +57 ••• 5566' }).waitFor();
    assert.doesNotMatch(await ana.evaluate(() => document.body.innerText), /4445566/);
    assert.equal(await ana.getAttribute('#chat-input', 'placeholder'), 'Escribe un mensaje');
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });

  it('shows the other person whole on a wide computer window, and fills a phone screen', async () => {
    const [desktop, desktopPeer] = await openLinks('es-CO', [{}, {}], {
      viewport: { width: 1280, height: 720 },
    });
    const [phone, phonePeer] = await openLinks('es-CO', [{}, {}], {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const fit = (page: Page) =>
      page.$eval('#remote-video', (video: HTMLVideoElement) => getComputedStyle(video).objectFit);
    await desktop.locator('#call[data-screen="prejoin"]').waitFor();
    await phone.locator('#call[data-screen="prejoin"]').waitFor();
    assert.equal(await fit(desktop), 'contain');
    assert.equal(await fit(phone), 'cover');
    await Promise.all([desktop, desktopPeer, phone, phonePeer].map((page) => page.context().close()));
  });

  it('counts down to a booked call’s opening, comes in by itself then, and tells the one waiting who arrived', async () => {
    // Booked so that its room opens (15 minutes before its time) in a few seconds.
    const startsAt = Date.now() + OPENS_BEFORE_MS + 4_000;
    const [ana, luis] = await openLinks('es-CO', [{ name: 'Ana' }, { name: 'Luis' }], {}, startsAt);
    await ana.locator('#call[data-screen="early"]').waitFor();
    assert.equal(await ana.locator('#notice-title').textContent(), 'Tu videollamada aún no empieza');
    assert.match(
      (await ana.locator('#notice-text').textContent()) ?? '',
      /La sala abre 15 minutos antes: abre en \d s\./,
    );
    // At the opening the page loads again, onto the pre-join screen.
    await ana.locator('#call[data-screen="prejoin"]').waitFor({ timeout: 15_000 });
    await ana.click('#join');
    await ana.locator('#call[data-screen="call"]').waitFor();
    // Ana waits in another tab: when Luis comes, the tab's title says so.
    await ana.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await luis.locator('#call[data-screen="prejoin"]').waitFor({ timeout: 15_000 });
    await luis.click('#join');
    await ana.waitForFunction(() => document.documentElement.dataset.arrived !== undefined);
    assert.equal(await ana.title(), '🔔 Luis entró a la llamada');
    for (const page of [ana, luis]) await mediaFlows(page);
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });
});
