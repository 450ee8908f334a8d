import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../helpers/test-app.js';
import { HOLD_SIGNALING, iceRestartSeenBy, joinNewCall, mediaFlows, remoteIceUfrag } from './browser.js';
import { startCallServiceAndChromium, stopCallService } from './call-service.js';
import { dropUdp } from './network.js';

let browser: Browser;
let app: FastifyInstance;
let baseUrl: string;

before(async () => ({ app, baseUrl, browser } = await startCallServiceAndChromium()));
after(() => stopCallService({ app, browser }));

/** Warnings and errors a page prints from now on (negotiation failures are logged as warnings). */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

const connections = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.map((pc) => [
      pc.connectionState,
      pc.signalingState,
    ]),
  );

describe('a call that stays up', { timeout: 120_000 }, () => {
  it('resolves both sides offering at the same moment: one call, no errors, media both ways', async () => {
    const [ana, luis] = await joinNewCall(browser, app, baseUrl, '', {}, [HOLD_SIGNALING]);
    for (const page of [ana, luis]) await mediaFlows(page);
    const problems = [...collectProblems(ana), ...collectProblems(luis)];
    const ufrags = await Promise.all([remoteIceUfrag(ana), remoteIceUfrag(luis)]);

    // Each side makes an offer (an ICE restart) while its messages are held, so neither has seen the other's
    // offer when its own goes out: a true collision, every time.
    for (const page of [ana, luis])
      await page.evaluate(() => (window as unknown as { __hold(): void }).__hold());
    for (const page of [ana, luis]) {
      await page.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.restartIce());
    }
    for (const page of [ana, luis]) {
      await page.waitForFunction(
        () =>
          (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.signalingState ===
          'have-local-offer',
      );
    }
    await Promise.all(
      [ana, luis].map((page) =>
        page.evaluate(() => (window as unknown as { __release(): void }).__release()),
      ),
    );

    // One restart wins, both sides end stable on the same single connection with new ICE credentials.
    await eventually(
      async () => {
        const now = await Promise.all([remoteIceUfrag(ana), remoteIceUfrag(luis)]);
        return now[0] !== ufrags[0] && now[1] !== ufrags[1] ? now : undefined;
      },
      { timeoutMs: 10_000, what: 'new ICE credentials on both sides' },
    );
    for (const page of [ana, luis]) {
      await page.waitForFunction(
        () => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.signalingState === 'stable',
      );
      assert.deepEqual(await connections(page), [['connected', 'stable']]);
      await mediaFlows(page);
    }
    assert.deepEqual(problems, []);
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });

  it('shows "reconnecting", restarts ICE, and recovers when the network drops and comes back', async (t) => {
    const [ana, luis] = await joinNewCall(browser, app, baseUrl);
    for (const page of [ana, luis]) await mediaFlows(page);
    const ufrag = await remoteIceUfrag(luis);

    const restore = await dropUdp();
    const droppedAt = Date.now();
    try {
      for (const page of [ana, luis]) await page.locator('#reconnecting').waitFor({ state: 'visible' });
      // The page restarts ICE by itself (with fresh ICE servers) after a short grace in 'disconnected'.
      await eventually(async () => ((await remoteIceUfrag(luis)) !== ufrag ? true : undefined), {
        timeoutMs: 15_000,
        what: 'an ICE restart while the network is down',
      });
    } finally {
      await restore();
    }
    const restoredAt = Date.now();
    for (const page of [ana, luis]) {
      await page.locator('#reconnecting').waitFor({ state: 'hidden' });
      await mediaFlows(page);
      assert.equal((await connections(page)).length, 1, 'the same connection, restarted');
    }
    t.diagnostic(
      `network down for ${restoredAt - droppedAt} ms; media flowing again ${Date.now() - restoredAt} ms after it came back`,
    );
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });

  it('restarts ICE at once when the phone changes network, and the call goes on', async () => {
    const [ana, luis] = await joinNewCall(browser, app, baseUrl);
    for (const page of [ana, luis]) await mediaFlows(page);
    // What a phone's browser fires when it gets a network back (Wi-Fi ↔ mobile data).
    await iceRestartSeenBy(
      luis,
      () => ana.evaluate(() => window.dispatchEvent(new Event('online'))),
      'an ICE restart after the network change',
    );
    for (const page of [ana, luis]) {
      await mediaFlows(page);
      assert.deepEqual(await connections(page), [['connected', 'stable']]);
    }
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });

  it('keeps the screen on in the call, tells the other side the video is paused in the background, and brings an ended camera back (not after hanging up)', async () => {
    // Keeps the page's screen wake lock where the test can see it.
    const captureWakeLock = `
      const request = navigator.wakeLock.request.bind(navigator.wakeLock);
      navigator.wakeLock.request = (type) => request(type).then((sentinel) => (window.__wakeLock = sentinel));
    `;
    const [ana, luis] = await joinNewCall(browser, app, baseUrl, '', {}, [captureWakeLock]);
    for (const page of [ana, luis]) await mediaFlows(page);
    const wakeLockReleased = () =>
      ana.evaluate(() => (window as unknown as { __wakeLock?: WakeLockSentinel }).__wakeLock?.released);
    assert.equal(await wakeLockReleased(), false);
    const setVisibility = (state: 'hidden' | 'visible') =>
      ana.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);

    await setVisibility('hidden');
    await luis.locator('#remote-off[data-reason="paused"]').waitFor({ state: 'visible' });
    assert.match((await luis.locator('#remote-off').textContent()) ?? '', /video está en pausa/);
    // While in the background, the phone hands the camera to another app: the track ends for good.
    const cameraBefore = await ana.evaluate(() => {
      const sender = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.getSenders().find(
        (s) => s.track?.kind === 'video',
      )!;
      sender.track!.stop();
      return sender.track!.id;
    });

    await setVisibility('visible');
    await luis.locator('#remote-off').waitFor({ state: 'hidden' });
    const cameraAfter = await ana.evaluate(() => {
      const sender = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.getSenders().find(
        (s) => s.track?.kind === 'video',
      )!;
      return { id: sender.track!.id, state: sender.track!.readyState };
    });
    assert.notEqual(cameraAfter.id, cameraBefore);
    assert.equal(cameraAfter.state, 'live');
    await mediaFlows(luis);

    // After hanging up, the screen may sleep again, and coming back to the page does not turn the camera on.
    await ana.click('#hangup');
    await ana.waitForFunction(
      () => (window as unknown as { __wakeLock: WakeLockSentinel }).__wakeLock.released,
    );
    await setVisibility('hidden');
    await setVisibility('visible');
    // A camera coming back would do so within a few hundred milliseconds: watch for 1.5 s.
    for (let i = 0; i < 15; i++) {
      const live = await ana.evaluate(
        () =>
          ((document.getElementById('local-video') as HTMLVideoElement).srcObject as MediaStream)
            .getTracks()
            .filter((track) => track.readyState === 'live').length,
      );
      assert.equal(live, 0, 'a camera or microphone came back on after hanging up');
      await ana.waitForTimeout(100);
    }
    await Promise.all([ana, luis].map((page) => page.context().close()));
  });
});
