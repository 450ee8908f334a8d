import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { freePort } from '../helpers/free-port.js';
import { portOpen } from '../helpers/port-open.js';
import { FAST_OUTBOX, testConfig } from '../helpers/test-app.js';
import { CAPTURE_PEER_CONNECTIONS, launchChromium, mediaFlows } from './browser.js';

let workDir: string;
let nginx: ChildProcess;
let app: FastifyInstance;
let browser: Browser;
let baseUrl: string;

/** deploy/nginx-site.conf as shipped, with only the host, ports, certificate and log paths made local. */
function siteConfig(tlsPort: number, httpPort: number, appPort: number): string {
  return readFileSync(new URL('../../deploy/nginx-site.conf', import.meta.url), 'utf8')
    .replace(/^\s*listen \[::\].*$/gm, '')
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
    .replaceAll('call.example.com', '127.0.0.1')
    .replace('server 127.0.0.1:8000;', `server 127.0.0.1:${appPort};`)
    .replace(/\/etc\/letsencrypt\/live\/127\.0\.0\.1\/fullchain\.pem/, path.join(workDir, 'cert.pem'))
    .replace(/\/etc\/letsencrypt\/live\/127\.0\.0\.1\/privkey\.pem/, path.join(workDir, 'key.pem'))
    .replace('/var/log/nginx/whatsapp-webrtc-bot.access.log', path.join(workDir, 'access.log'));
}

before(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'wwb-nginx-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(workDir, 'key.pem'),
      '-out',
      path.join(workDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const [tlsPort, httpPort, appPort] = [await freePort(), await freePort(), await freePort()];
  baseUrl = `https://127.0.0.1:${tlsPort}`;
  writeFileSync(path.join(workDir, 'site.conf'), siteConfig(tlsPort, httpPort, appPort));
  writeFileSync(
    path.join(workDir, 'nginx.conf'),
    `user root;
daemon off;
pid ${workDir}/nginx.pid;
error_log ${workDir}/error.log;
events {}
http {
  client_body_temp_path ${workDir}/client;
  proxy_temp_path ${workDir}/proxy;
  fastcgi_temp_path ${workDir}/fastcgi;
  uwsgi_temp_path ${workDir}/uwsgi;
  scgi_temp_path ${workDir}/scgi;
  include ${workDir}/site.conf;
}
`,
  );
  app = await buildApp(testConfig({ PUBLIC_BASE_URL: baseUrl, TRUST_PROXY: '127.0.0.1' }), {
    logger: false,
    outboxWorker: FAST_OUTBOX,
  });
  await app.listen({ port: appPort, host: '127.0.0.1' });
  nginx = spawn('nginx', ['-p', workDir, '-c', path.join(workDir, 'nginx.conf')], { stdio: 'ignore' });
  await portOpen(tlsPort, 'nginx to listen');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  nginx?.kill('SIGQUIT');
  if (nginx) await once(nginx, 'exit');
  await app?.close();
  rmSync(workDir, { recursive: true, force: true });
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
      const response = await page.goto(roomLink(baseUrl, room.id, key));
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
    const log = readFileSync(path.join(workDir, 'access.log'), 'utf8');
    // WebSocket upgrades are logged when they close; the room API carries the same query as the socket does.
    assert.match(log, /"GET \/api\/rooms\/[\w-]{22}" 200/);
    assert.ok(!log.includes(seatKeys[0]) && !log.includes('client='), 'the access log keeps paths only');
    t.diagnostic('call through nginx: https page, wss signaling, media flowing on both sides');
  });

  it('redirects plain http to https', async () => {
    const site = readFileSync(path.join(workDir, 'site.conf'), 'utf8');
    const httpPort = /listen 127\.0\.0\.1:(\d+);/.exec(site)?.[1];
    const response = await fetch(`http://127.0.0.1:${httpPort}/room/x`, { redirect: 'manual' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), `https://127.0.0.1/room/x`);
  });
});
