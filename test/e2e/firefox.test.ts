import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import puppeteer, { type Browser as Firefox } from 'puppeteer-core';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { CAPTURE_PEER_CONNECTIONS, launchChromium, mediaFlows } from './browser.js';
import { startCallService } from './call-service.js';

// Firefox ESR from Debian, driven over WebDriver BiDi by Puppeteer, in a call with Chromium. Firefox gathers
// no ICE candidates on loopback alone: scripts/test.sh gives the test namespace a veth pair for it.

let chromium: Browser;
let firefox: Firefox;
let app: FastifyInstance;
let baseUrl: string;

before(async () => {
  ({ app, baseUrl } = await startCallService());
  chromium = await launchChromium();
  firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.peerconnection.ice.loopback': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      'intl.accept_languages': 'es-CO, es',
    },
  });
});
after(async () => {
  await firefox?.close();
  await chromium?.close();
  await app?.close();
});

describe('Firefox and Chromium in one call', { timeout: 90_000 }, () => {
  it('connects, media flows both ways, and the mute state crosses over the data channel', async (t) => {
    const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
    await app.storage.ledger.commit(`firefox-${room.id}`, { rooms: [room], messages: [] }, Date.now());

    const fox = await firefox.newPage();
    fox.setDefaultTimeout(20_000);
    await fox.evaluateOnNewDocument(CAPTURE_PEER_CONNECTIONS);
    await fox.goto(roomLink(baseUrl, room.id, seatKeys[0]));
    await fox.locator('#join:not([disabled])').click();

    const context = await chromium.newContext({ locale: 'es-CO' });
    await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
    const chrome = await context.newPage();
    chrome.setDefaultTimeout(20_000);
    const openedAt = Date.now();
    await chrome.goto(roomLink(baseUrl, room.id, seatKeys[1]));
    await chrome.locator('#join:not([disabled])').click();

    await mediaFlows(chrome);
    await mediaFlows(fox);
    t.diagnostic(`remote media on both sides ${Date.now() - openedAt} ms after the Chromium page opened`);
    assert.equal(await fox.evaluate(() => document.documentElement.lang), 'es');
    // Firefox names its selected candidate pair differently: the quality indicator reads it too.
    await fox.waitForSelector('#quality[data-level]', { visible: true });
    const quality = await fox.$eval('#quality', (element) => element.getAttribute('aria-label'));
    assert.match(quality ?? '', /ida y vuelta \d+ ms/);
    t.diagnostic(`Firefox's quality indicator: ${quality}`);

    await fox.locator('#mute').click();
    await chrome.locator('#remote-muted').waitFor({ state: 'visible' });
    await chrome.click('#camera');
    await fox.waitForSelector('#remote-off', { visible: true });
    await context.close();
  });
});
