import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { joinNewCall, mediaFlows } from './browser.js';
import { startCallServiceAndChromium, stopCallService } from './call-service.js';
import { LIKE_3G, shapeLoopback } from './network.js';

let browser: Browser;
let app: FastifyInstance;
let baseUrl: string;

before(async () => ({ app, baseUrl, browser } = await startCallServiceAndChromium()));
after(() => stopCallService({ app, browser }));

describe('on a slow mobile network', { timeout: 90_000 }, () => {
  it('connects and keeps media flowing over a 750 kbit/s link that loses 3 % of UDP packets', async (t) => {
    const restore = await shapeLoopback(LIKE_3G);
    try {
      const startedAt = Date.now();
      const [ana, luis] = await joinNewCall(browser, app, baseUrl);
      for (const page of [ana, luis]) await mediaFlows(page, 20_000);
      const connectedAfter = Date.now() - startedAt;
      // The page measures the link as it is: loss shows in its quality label.
      await ana.locator('#quality:not([hidden])').waitFor();
      const quality = (await ana.getAttribute('#quality', 'aria-label')) ?? '';
      assert.match(quality, /ida y vuelta \d+ ms/);
      // Media keeps flowing for a while, not just the first frames.
      for (const page of [ana, luis]) await mediaFlows(page);
      t.diagnostic(
        `both pages opened → media both ways in ${connectedAfter} ms; ana's indicator: ${quality}`,
      );
    } finally {
      await restore();
    }
  });
});
