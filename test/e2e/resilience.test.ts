import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { freePort } from '../helpers/free-port.js';
import { FAST_OUTBOX, testConfig } from '../helpers/test-app.js';
import {
  joinNewCall,
  launchChromium,
  mediaFlows,
  iceRestartSeenBy,
  restartIce,
  sampleMedia,
} from './browser.js';

let browser: Browser;
let dataDir: string;
let port: number;
let baseUrl: string;

/** The service on a fixed port over a data folder that outlives it, as a restarted process would find them. */
async function startService(): Promise<FastifyInstance> {
  const app = await buildApp(testConfig({ PUBLIC_BASE_URL: baseUrl, DATA_DIR: dataDir }), {
    logger: false,
    outboxWorker: FAST_OUTBOX,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}

async function call(app: FastifyInstance): Promise<[Page, Page]> {
  const pages = await joinNewCall(browser, app, baseUrl);
  for (const page of pages) await mediaFlows(page);
  return pages;
}

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'wwb-resilience-'));
  port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a call that stays up', { timeout: 90_000 }, () => {
  it('keeps media flowing while the server restarts, and signaling resumes', async (t) => {
    let app = await startService();
    const [ana, luis] = await call(app);
    const framesBefore = await sampleMedia(luis);

    const stoppedAt = Date.now();
    await app.close();
    // While the server is away, the call goes on peer to peer.
    const during = await mediaFlows(luis, 10_000);
    assert.ok(during[1].videoFramesDecoded > framesBefore.videoFramesDecoded);

    app = await startService();
    t.after(() => app.close());
    // Both pages come back to their seats (same tab, same page load): the call is not renegotiated.
    await ana.locator('#call[data-signaling="up"][data-status="connected"]').waitFor();
    await luis.locator('#call[data-signaling="up"][data-status="connected"]').waitFor();
    const backAfter = Date.now() - stoppedAt;
    for (const page of [ana, luis]) {
      assert.equal(await page.evaluate(() => (window as unknown as { __pcs: unknown[] }).__pcs.length), 1);
      await mediaFlows(page);
    }
    // Signaling carries negotiation again: an ICE restart (new credentials) goes through the new server.
    await iceRestartSeenBy(
      luis,
      () => restartIce(ana),
      'an ICE restart negotiated through the restarted server',
    );
    for (const page of [ana, luis]) await mediaFlows(page);
    t.diagnostic(`server restart: media kept flowing; signaling back ${backAfter} ms after the stop`);
  });

  it('tells the other side at once when one hangs up while the server is away', async () => {
    const app = await startService();
    const [ana, luis] = await call(app);
    await app.close();
    await luis.click('#hangup');
    await ana.locator('#call[data-status="peerLeft"]').waitFor({ timeout: 5_000 });
    assert.equal(await ana.locator('#remote-video').evaluate((v: HTMLVideoElement) => v.srcObject), null);
  });

  it('recovers media within 10 s when one side reloads the page', async (t) => {
    const app = await startService();
    t.after(() => app.close());
    const [ana, luis] = await call(app);
    const reloadedAt = Date.now();
    await luis.reload();
    await luis.locator('#join:not([disabled])').click();
    for (const page of [luis, ana]) await mediaFlows(page, 10_000);
    t.diagnostic(
      `reload → media flowing again on both sides in ${Date.now() - reloadedAt} ms (tap included)`,
    );
  });
});
