import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { createRoom } from '../../src/rooms/room.js';
import { freePort } from '../helpers/free-port.js';
import { startCoturn, type Coturn } from '../helpers/coturn.js';
import { FAST_OUTBOX, testConfig } from '../helpers/test-app.js';
import { joinNewCall, launchChromium, mediaFlows, sampleMedia } from './browser.js';
import { measureCallSetup } from './call-timing.js';

const TURN_SECRET = 'e2e-turn-secret';
let coturn: Coturn;
let browser: Browser;

before(async () => {
  coturn = await startCoturn(TURN_SECRET);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await coturn?.stop();
});

/** A service whose pages get TURN credentials minted with `secret`. */
async function serviceWith(secret: string): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await buildApp(
    testConfig({
      PUBLIC_BASE_URL: baseUrl,
      TURN_SECRET: secret,
      TURN_URLS: coturn.url,
    }),
    { logger: false, outboxWorker: FAST_OUTBOX },
  );
  await app.listen({ port, host: '127.0.0.1' });
  return { app, baseUrl };
}

describe('calls through a real TURN relay (coturn, relay only)', { timeout: 90_000 }, () => {
  it('connects with credentials minted per join, and media flows through the relay', async (t) => {
    const { app, baseUrl } = await serviceWith(TURN_SECRET);
    t.after(() => app.close());
    const started = Date.now();
    // ?ice=relay: every packet must go through TURN.
    const pages = await joinNewCall(browser, app, baseUrl, '?ice=relay');
    for (const page of pages) {
      const [, last] = await mediaFlows(page);
      assert.equal(last.candidatePairType, 'relay', 'the selected pair goes through the relay');
    }
    t.diagnostic(`relay-only call: both joined → media flowing on both sides in ${Date.now() - started} ms`);
    await Promise.all(pages.map((page) => page.context().close()));
  });

  it('connects relay-only and direct calls alike, and reports how long each takes to set up', async (t) => {
    const { app, baseUrl } = await serviceWith(TURN_SECRET);
    t.after(() => app.close());
    const links = async (query: string) => {
      const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
      await app.storage.ledger.commit(`timing-${room.id}`, { rooms: [room], messages: [] }, Date.now());
      return [0, 1].map((seat) => `${baseUrl}/room/${room.id}${query}#k=${seatKeys[seat as 0 | 1]}`) as [
        string,
        string,
      ];
    };
    const direct = await measureCallSetup([await links(''), await links(''), await links('')]);
    const relay = await measureCallSetup([
      await links('?ice=relay'),
      await links('?ice=relay'),
      await links('?ice=relay'),
    ]);
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    t.diagnostic(
      `tap → first frame on both sides, median of 3: direct ${median(direct)} ms, relay only ${median(relay)} ms`,
    );
    assert.ok(relay.every(Number.isFinite) && direct.every(Number.isFinite));
  });

  it('fails with wrong credentials, and the page says the call could not connect', async (t) => {
    const { app, baseUrl } = await serviceWith('not-the-secret');
    t.after(() => app.close());
    // ?ice=relay: every packet must go through TURN.
    const pages = await joinNewCall(browser, app, baseUrl, '?ice=relay');
    for (const page of pages) {
      // The page says so once Chromium has finished gathering with no candidate at all, which waits for its TURN
      // allocations to be refused: usually a few seconds, once in CI over 20 s (Chromium's own retries).
      await page.locator('#call[data-status="noRoute"]').waitFor({ timeout: 40_000 });
      assert.match((await page.locator('#status').textContent()) ?? '', /No se pudo conectar la llamada/);
      assert.equal((await sampleMedia(page)).videoBytes, 0);
    }
    await Promise.all(pages.map((page) => page.context().close()));
  });
});
