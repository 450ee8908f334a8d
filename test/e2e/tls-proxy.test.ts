import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { freePort } from '../helpers/free-port.js';
import { FAST_OUTBOX, testConfig } from '../helpers/test-app.js';
import { startNginx, type NginxServer } from '../servers/nginx-server.js';
import { CAPTURE_PEER_CONNECTIONS, launchChromium, mediaFlows } from './browser.js';

let nginx: NginxServer;
let app: FastifyInstance;
let browser: Browser;

before(async () => {
  const appPort = await freePort();
  nginx = await startNginx([appPort]);
  app = await buildApp(testConfig({ PUBLIC_BASE_URL: nginx.baseUrl, TRUST_PROXY: '127.0.0.1' }), {
    logger: false,
    outboxWorker: FAST_OUTBOX,
  });
  await app.listen({ port: appPort, host: '127.0.0.1' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await nginx?.stop();
  await app?.close();
});

describe('a call through nginx with TLS (deploy/nginx-site.conf)', { timeout: 90_000 }, () => {
  it('serves the page over https, signals over wss, and media flows both ways', async (t) => {
    const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
    await app.storage.ledger.commit(`tls-${room.id}`, { rooms: [room], messages: [] }, Date.now());
    const pages: Page[] = [];
    const sockets: string[] = [];
    for (const key of seatKeys) {
      // The certificate is self-signed for this test; everything else is what a phone gets.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('websocket', (socket) => sockets.push(socket.url()));
      const response = await page.goto(roomLink(nginx.baseUrl, room.id, key));
      assert.equal(response?.status(), 200);
      assert.match(String(response?.headers()['strict-transport-security']), /max-age=31536000/);
      await page.locator('#join:not([disabled])').click();
      pages.push(page);
    }
    for (const page of pages) await mediaFlows(page);
    assert.equal(sockets.length, 2);
    assert.ok(
      sockets.every((url) => url.startsWith(`wss://127.0.0.1:`)),
      sockets.join(', '),
    );
    const log = nginx.accessLog();
    // WebSocket upgrades are logged when they close; the room API carries the same query as the socket does.
    assert.match(log, /"GET \/api\/rooms\/[\w-]{22}" 200/);
    assert.ok(!log.includes(seatKeys[0]) && !log.includes('client='), 'the access log keeps paths only');
    t.diagnostic('call through nginx: https page, wss signaling, media flowing on both sides');
  });

  it('redirects plain http to https', async () => {
    const response = await fetch(`http://127.0.0.1:${nginx.httpPort}/room/x`, { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), `https://127.0.0.1/room/x`);
  });
});
