// Phone-size pictures of the call page for the README: the pre-join screen and a call in progress, both with
// Chromium's fake camera. Run with `npm run screenshots` (root: a private network namespace keeps the call on
// loopback); it writes docs/screenshots/*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { CAPTURE_PEER_CONNECTIONS, mediaFlows } from './browser.js';
import { startCallServiceAndChromium, stopCallService } from './call-service.js';

const out = path.resolve(import.meta.dirname, '../../docs/screenshots');
mkdirSync(out, { recursive: true });
const phone = {
  locale: 'es-CO',
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

const { app, baseUrl, browser } = await startCallServiceAndChromium();
try {
  const { room, seatKeys } = createRoom({
    nowMs: Date.now(),
    ttlSeconds: 3600,
    owners: [
      { waId: '573001112233', name: 'Ana' },
      { waId: '573004445566', name: 'Luis' },
    ],
  });
  await app.storage.ledger.commit(`shots-${room.id}`, { rooms: [room], messages: [] }, Date.now());
  const [ana, luis] = await Promise.all(
    [0, 1].map(async () => {
      const context = await browser.newContext(phone);
      await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
      return context.newPage();
    }),
  );
  await luis!.goto(roomLink(baseUrl, room.id, seatKeys[1]));
  await luis!.locator('#join:not([disabled])').click();
  await ana!.goto(roomLink(baseUrl, room.id, seatKeys[0]));
  await ana!.locator('#peer-state[data-present="true"]').waitFor();
  await ana!.waitForFunction(
    () => (document.getElementById('local-video') as HTMLVideoElement).videoWidth > 0,
  );
  await ana!.screenshot({ path: path.join(out, 'prejoin.png') });

  await ana!.click('#join');
  await mediaFlows(ana!);
  await ana!.locator('#quality:not([hidden])').waitFor();
  await ana!.screenshot({ path: path.join(out, 'in-call.png') });
  console.log(`screenshots written to ${path.relative(process.cwd(), out)}`);
} finally {
  await stopCallService({ app, browser });
}
