// Pictures for the README, with Chromium's fake camera: on a phone, the pre-join screen, a call in progress,
// the sandbox and an expired link; on a computer, a call; the operator's dashboard on both. Run with `npm run screenshots` (root: a private network namespace keeps the call on
// loopback); it writes docs/screenshots/*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { CAPTURE_PEER_CONNECTIONS, mediaFlows } from './browser.js';
import { startCallServiceAndChromium, stopCallService } from './call-service.js';
import { PASSWORD, setPassword } from '../helpers/operator.js';
import { seedHistory } from '../helpers/seed-history.js';

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

  // The same call on a computer: the other person's camera shown whole, not cropped to the window.
  const desktop = await browser.newContext({ locale: 'es-CO', viewport: { width: 1280, height: 800 } });
  await desktop.addInitScript(CAPTURE_PEER_CONNECTIONS);
  const laptop = await desktop.newPage();
  await luis!.close();
  await laptop.goto(roomLink(baseUrl, room.id, seatKeys[1]));
  await laptop.locator('#join:not([disabled])').click();
  await mediaFlows(laptop);
  await laptop.locator('#quality:not([hidden])').waitFor();
  await laptop.screenshot({ path: path.join(out, 'desktop-call.png') });

  // The sandbox on a phone: an invitation to someone who never wrote, and the short link to forward it.
  const sandbox = await (await browser.newContext(phone)).newPage();
  await sandbox.goto(`${baseUrl}/sandbox`);
  await sandbox.fill('#from', '+57 300 111 2233');
  await sandbox.fill('#text', 'videollamada +57 300 999 0001');
  await sandbox.click('#composer button[type=submit]');
  await sandbox.locator('#chat .bubble.out button.forward').waitFor();
  await sandbox.screenshot({ path: path.join(out, 'sandbox.png') });

  // A link that cannot open: one layout for every such page, with the one thing that can be done.
  const expired = createRoom({ nowMs: Date.now() - 7_200_000, ttlSeconds: 3600, owners: [{}, {}] });
  await app.storage.ledger.commit(`shots-${expired.room.id}`, { rooms: [expired.room], messages: [] }, 0);
  const late = await (await browser.newContext(phone)).newPage();
  await late.goto(roomLink(baseUrl, expired.room.id, expired.seatKeys[1]));
  await late.screenshot({ path: path.join(out, 'expired.png') });
  // The operator's dashboard over a month of calls, on a computer and on a phone.
  await seedHistory(app.storage, { calls: 400, days: 30, nowMs: Date.now(), lines: ['main'] });
  await setPassword(app);
  for (const [name, options] of [
    ['dashboard', { locale: 'es-CO', viewport: { width: 1280, height: 1500 } }],
    ['dashboard-phone', { ...phone, viewport: { width: 390, height: 1400 } }],
  ] as const) {
    const operator = await (await browser.newContext(options)).newPage();
    await operator.goto(`${baseUrl}/admin/login`);
    await operator.fill('#password', PASSWORD);
    await operator.click('#login button[type=submit]');
    await operator.waitForURL(`${baseUrl}/admin`);
    await operator.selectOption('#range', '30d');
    await operator.locator('#total-created', { hasText: '40' }).waitFor();
    await operator.locator('#calls tr').first().waitFor();
    await operator.screenshot({ path: path.join(out, `${name}.png`) });
  }
  console.log(`screenshots written to ${path.relative(process.cwd(), out)}`);
} finally {
  await stopCallService({ app, browser });
}
