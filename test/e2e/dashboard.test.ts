import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { createRoom, roomLink } from '../../src/rooms/room.js';
import { formatDuration } from '../../web/admin-figures.js';
import { PASSWORD, setPassword } from '../helpers/operator.js';
import { eventually } from '../helpers/test-app.js';
import { CAPTURE_PEER_CONNECTIONS, launchChromium, mediaFlows } from './browser.js';
import { startCallService } from './call-service.js';

// The operator signs in, two people make a call in the sandbox service, and the dashboard shows it: in
// "now" while it lasts, then in the totals, the recent calls (with its duration) and its timeline.

let browser: Browser;
let app: FastifyInstance;
let baseUrl: string;

before(async () => {
  ({ app, baseUrl } = await startCallService());
  browser = await launchChromium();
  await setPassword(app);
});
after(async () => {
  await browser?.close();
  await app?.close();
});

async function person(url: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'es-CO' });
  await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.locator('#join:not([disabled])').click();
  return page;
}

describe('the operator dashboard in Chromium', () => {
  it('signs in, sees a call in "now", then in the totals, the table with its duration, and its timeline', async () => {
    const operator = await (
      await browser.newContext({ locale: 'es-CO', viewport: { width: 1280, height: 900 } })
    ).newPage();
    operator.setDefaultTimeout(20_000);
    const errors: string[] = [];
    operator.on('pageerror', (error) => errors.push(error.message));
    await operator.goto(`${baseUrl}/admin`);
    await operator.waitForURL(`${baseUrl}/admin/login`);
    await operator.fill('#password', 'not the password');
    await operator.click('#login button[type=submit]');
    await operator.locator('#message', { hasText: 'Contraseña incorrecta' }).waitFor();
    await operator.fill('#password', PASSWORD);
    await operator.click('#login button[type=submit]');
    await operator.waitForURL(`${baseUrl}/admin`);
    await operator.locator('#sandbox:not([hidden])').waitFor();
    await operator.locator('#now-in-call', { hasText: '0' }).waitFor();

    const { room, seatKeys } = createRoom({
      nowMs: Date.now(),
      ttlSeconds: 3600,
      owners: [
        { waId: '573001112233', name: 'Ana' },
        { waId: '573004445566', name: 'Luis' },
      ],
    });
    await app.storage.ledger.commit(`e2e-${room.id}`, { rooms: [room], messages: [] }, Date.now());
    const ana = await person(roomLink(baseUrl, room.id, seatKeys[0]));
    const luis = await person(roomLink(baseUrl, room.id, seatKeys[1]));
    await Promise.all([mediaFlows(ana), mediaFlows(luis)]);

    // "Now" refreshes by itself.
    await operator.locator('#now-in-call', { hasText: '1' }).waitFor();
    const connected = await app.storage.history.call(room.id, Date.now());
    assert.ok(connected?.call.connectedAtMs, 'the pages reported the connection');
    assert.ok(connected.call.setupMs !== null && connected.call.setupMs > 0);

    await ana.click('#hangup');
    const ended = await eventually(
      async () => {
        const found = await app.storage.history.call(room.id, Date.now());
        return found?.call.status === 'ended' ? found.call : undefined;
      },
      { what: 'the call to end in the history' },
    );
    assert.equal(ended.endedBy, 'host');
    assert.ok(ended.durationMs !== null && ended.durationMs >= 0);

    await operator.reload();
    await operator.locator('#now-in-call', { hasText: '0' }).waitFor();
    await operator.locator('#total-created', { hasText: '1' }).waitFor();
    await operator.locator('#total-connected', { hasText: '1 (100' }).waitFor();
    assert.equal(await operator.locator('#plot-calls canvas').count(), 1, 'the plot is drawn');
    const row = operator.locator(`#calls tr[data-call="${room.id}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual(
      [cells[0], cells[2], cells[5]],
      ['Terminada', 'Ana → Luis', formatDuration(ended.durationMs)],
    );
    const browsers = await operator.locator('#browsers td').allTextContents();
    assert.deepEqual(
      browsers.slice(0, 3),
      ['Chrome', 'Linux', '2'],
      'both people, on headless Chromium on Linux',
    );

    await row.click();
    await operator.locator('#detail-timeline li').nth(5).waitFor();
    // Each entry: its time, then what happened ("Entró · Anfitrión · Chrome / Linux").
    const timeline = await operator
      .locator('#detail-timeline li')
      .evaluateAll((items) => items.map((item) => item.lastChild?.textContent?.trim() ?? ''));
    assert.deepEqual(
      timeline.slice(0, 6).map((entry) => entry.split(' · ')[0]),
      ['Llamada creada', 'Entró', 'Entró', 'Conectó', 'Conectó', 'Salió'],
    );
    assert.match(timeline[5] ?? '', /^Salió · Anfitrión/, 'Ana hung up first; Luis’s page leaves after her');
    await operator.click('#detail-close');

    await operator.click('#sign-out');
    await operator.waitForURL(`${baseUrl}/admin/login`);
    await operator.goto(`${baseUrl}/admin`);
    await operator.waitForURL(`${baseUrl}/admin/login`);
    assert.deepEqual(errors, []);
  });
});
