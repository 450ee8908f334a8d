import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { eventually } from '../helpers/test-app.js';
import {
  CAPTURE_PEER_CONNECTIONS,
  CHROMIUM_FLAGS,
  joinNewCall,
  launchChromium,
  mediaFlows,
} from './browser.js';
import { startCallService } from './call-service.js';

let browser: Browser;
let app: FastifyInstance;
let baseUrl: string;
let ana: Page;
let luis: Page;

before(async () => {
  ({ app, baseUrl } = await startCallService());
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

  it('shows the connection quality, with round trip, loss and bitrate in its label', async () => {
    await ana.locator('#quality[data-level="good"]').waitFor();
    assert.match(
      (await ana.getAttribute('#quality', 'aria-label')) ?? '',
      /^Conexión buena · ida y vuelta \d+ ms · pérdida \d+(,\d)? % · \d+ kbit\/s$/,
    );
  });

  it('shares the screen on a computer, shown whole on the other side, then goes back to the camera', async () => {
    await ana.locator('#share').waitFor({ state: 'visible' });
    await ana.click('#share');
    await ana.locator('#share[aria-pressed="true"]').waitFor();
    // The fake screen is 1280×720; the fake camera 640×480.
    await luis.waitForFunction(() => {
      const video = document.getElementById('remote-video') as HTMLVideoElement;
      return video.videoWidth > 640 && video.classList.contains('screen');
    });
    await mediaFlows(luis);
    await ana.click('#share');
    await luis.waitForFunction(() => {
      const video = document.getElementById('remote-video') as HTMLVideoElement;
      return video.videoWidth > 0 && video.videoWidth <= 640 && !video.classList.contains('screen');
    });
    await mediaFlows(luis);
    assert.equal(await ana.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length), 1);
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

describe('where the camera never answers', { timeout: 60_000 }, () => {
  it('shows the open-in-browser screen after the watchdog, and the preview if the answer comes after all', async (t) => {
    const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
    await app.storage.ledger.commit(`stuck-${room.id}`, { rooms: [room], messages: [] }, Date.now());
    const context = await browser.newContext({ locale: 'es-CO' });
    // As in some apps' built-in browsers: getUserMedia exists, but nothing answers until the test says so.
    await context.addInitScript(`
      const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      let answer;
      const answered = new Promise((resolve) => { answer = resolve; });
      window.__answer = () => answer();
      navigator.mediaDevices.getUserMedia = (constraints) => answered.then(() => real(constraints));
    `);
    const page = await context.newPage();
    await page.goto(roomLink(baseUrl, room.id, seatKeys[0]));
    const openedAt = Date.now();
    await page.locator('#call[data-screen="in-app"]').waitFor({ timeout: 15_000 });
    t.diagnostic(`open-in-browser screen after ${Date.now() - openedAt} ms without an answer`);
    assert.equal(await page.locator('#copy-link').isVisible(), true);

    await page.evaluate(() => (window as unknown as { __answer(): void }).__answer());
    await page.locator('#call[data-screen="prejoin"]').waitFor();
    await page.waitForFunction(
      () => (document.getElementById('local-video') as HTMLVideoElement).videoWidth > 0,
    );
    assert.equal(await page.locator('#inapp').isVisible(), false);
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

describe('on a small phone screen', { timeout: 60_000 }, () => {
  /** Whether every visible call control lies inside the viewport, with no two overlapping. */
  async function controlsFit(page: Page): Promise<void> {
    const viewport = page.viewportSize()!;
    const boxes = [];
    for (const button of await page.locator('#controls button:visible').all())
      boxes.push((await button.boundingBox())!);
    assert.ok(boxes.length >= 4, `${boxes.length} controls visible`);
    for (const box of boxes) {
      assert.ok(box.x >= 0 && box.y >= 0, JSON.stringify(box));
      assert.ok(
        box.x + box.width <= viewport.width && box.y + box.height <= viewport.height,
        JSON.stringify(box),
      );
      assert.ok(box.width >= 44 && box.height >= 44, 'big enough for a thumb');
    }
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        assert.ok(apart, `overlap ${JSON.stringify(a)} ${JSON.stringify(b)}`);
      }
    }
  }

  it('fits 360 px in portrait and in landscape; the self-view moves by drag and by keyboard', async () => {
    const phone = {
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Moto G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
      viewport: { width: 360, height: 640 },
      isMobile: true,
      hasTouch: true,
    };
    const [caller, callee] = await joinNewCall(browser, app, baseUrl, '', phone);
    for (const page of [caller, callee]) await mediaFlows(page);
    await controlsFit(caller);
    // The other person's "muted" badge stays clear of the self-view, in whichever corner it is.
    await callee.click('#mute');
    await caller.locator('#remote-muted:not([hidden])').waitFor();
    const overlaps = async () => {
      const a = (await caller.locator('#remote-muted').boundingBox())!;
      const b = (await caller.locator('#local-video').boundingBox())!;
      return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    };
    assert.equal(await overlaps(), false, 'self-view top right');
    await caller.focus('#local-video');
    await caller.keyboard.press('ArrowLeft');
    assert.equal(await caller.getAttribute('#local-video', 'data-corner'), 'top-left');
    // Measured once it has slid into its corner.
    await caller.waitForFunction(
      () => document.getElementById('local-video')!.getBoundingClientRect().left < 40,
    );
    assert.equal(await overlaps(), false, 'self-view top left');
    await caller.keyboard.press('ArrowRight');
    // With the camera off, the self-view shows an avatar, not a black box.
    await caller.click('#camera');
    const background = await caller.$eval('#local-video', (v) => getComputedStyle(v).backgroundImage);
    assert.match(background, /^url\("data:image\/svg\+xml/);
    await caller.click('#camera');
    await callee.click('#mute');
    const remote = (await caller.locator('#remote-video').boundingBox())!;
    assert.deepEqual([remote.width, remote.height], [360, 640], 'the other person fills the screen');
    const self = (await caller.locator('#local-video').boundingBox())!;
    assert.ok(self.width < 360 / 3 && self.x + self.width <= 360, JSON.stringify(self));

    // Dragged to the lower left, it settles in that corner.
    await caller.mouse.move(self.x + self.width / 2, self.y + self.height / 2);
    await caller.mouse.down();
    await caller.mouse.move(40, 450, { steps: 5 });
    await caller.mouse.up();
    assert.equal(await caller.getAttribute('#local-video', 'data-corner'), 'bottom-left');
    // And with the keyboard: focus it, arrow up and right.
    await caller.focus('#local-video');
    await caller.keyboard.press('ArrowUp');
    await caller.keyboard.press('ArrowRight');
    assert.equal(await caller.getAttribute('#local-video', 'data-corner'), 'top-right');
    assert.equal(
      await caller.getAttribute('#local-video', 'aria-label'),
      'Tu cámara. Arrástrala o muévela con las flechas.',
    );

    await caller.setViewportSize({ width: 640, height: 360 });
    await controlsFit(caller);
    // Every control has a name a screen reader can say.
    for (const button of await caller.locator('#controls button').all()) {
      assert.ok(((await button.getAttribute('aria-label')) ?? '').length > 2);
    }
    await Promise.all([caller, callee].map((page) => page.context().close()));
  });
});

describe('when camera and microphone are refused', { timeout: 60_000 }, () => {
  it('says how to allow them on this browser, offers a reload, and joins to watch and listen', async () => {
    // A browser where this site's camera and microphone are blocked, as after a person tapped Block. Without
    // the fake-UI flag, since that flag grants whatever the settings say.
    const refusing = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      // Pages without camera permission hide their addresses behind mDNS names, which nothing resolves in the
      // test's network namespace.
      args: [
        ...CHROMIUM_FLAGS.filter((flag) => flag !== '--use-fake-ui-for-media-stream'),
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    });
    try {
      const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
      await app.storage.ledger.commit(`denied-${room.id}`, { rooms: [room], messages: [] }, Date.now());
      const context = await refusing.newContext({ locale: 'es-CO' });
      await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
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
      page.setDefaultTimeout(20_000);
      await page.goto(roomLink(baseUrl, room.id, seatKeys[0]));
      // Before joining: what happened, how to fix it here, a reload, and a way in that is not a dead end.
      await page.locator('#call[data-media="denied"]').waitFor();
      assert.match(
        (await page.locator('#media-problem').textContent()) ?? '',
        /toca el candado 🔒 junto a la dirección/,
      );
      assert.equal(await page.locator('#reload').textContent(), 'Recargar la página');
      assert.equal(await page.locator('#join').textContent(), 'Entrar solo a ver y escuchar');
      assert.equal(await page.locator('#pre-mute').isDisabled(), true);
      await page.click('#join');

      const otherContext = await browser.newContext({ locale: 'es-CO' });
      const other = await otherContext.newPage();
      await other.goto(roomLink(baseUrl, room.id, seatKeys[1]));
      await other.locator('#join:not([disabled])').click();
      // The person without camera and microphone sees and hears the other one; the other sees the avatar.
      await mediaFlows(page);
      await other.locator('#remote-off').waitFor({ state: 'visible' });
      await otherContext.close();
    } finally {
      await refusing.close();
    }
  });
});
