import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { Receiver, WHOLE_CALL } from '../helpers/event-receiver.js';
import { apiKeyFor, eventually } from '../helpers/test-app.js';
import { CAPTURE_PEER_CONNECTIONS, launchChromium, mediaFlows } from './browser.js';
import { startCallService } from './call-service.js';

// A call created by another system through the REST API, taken by two people in Chromium, and the events that
// system receives about it.

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let receiver: Receiver;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

before(async () => {
  receiver = await Receiver.start();
  const endpoints = [{ id: 'crm', url: receiver.url, secret: SECRET }];
  ({ app, baseUrl } = await startCallService({ EVENT_WEBHOOKS_JSON: JSON.stringify(endpoints) }));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await app?.close();
  receiver?.server.close();
});

async function open(link: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'es-CO' });
  await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(link);
  await page.locator('#join:not([disabled])').click();
  return page;
}

describe('a call created through the REST API', { timeout: 90_000 }, () => {
  it('connects in the browser, and its system hears of it in order, every event signed', async () => {
    const { auth } = await apiKeyFor(app);
    const response = await fetch(`${baseUrl}/api/v1/calls`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        host: { name: 'Clínica Norte' },
        guest: { phone: '+573004445566', name: 'Luis' },
      }),
    });
    assert.equal(response.status, 201);
    const call = (await response.json()) as { id: string; links: { host: string; guest: string } };
    const host = await open(call.links.host);
    const guest = await open(call.links.guest);
    for (const page of [host, guest]) await mediaFlows(page);
    await eventually(() => receiver.types().includes('call.connected'), { timeoutMs: 15_000 });
    const status = await fetch(`${baseUrl}/api/v1/calls/${call.id}`, { headers: auth });
    assert.equal(((await status.json()) as { status: string }).status, 'connected');
    await guest.click('#hangup');
    await eventually(() => receiver.types().includes('call.ended'), { timeoutMs: 15_000 });
    assert.deepEqual(receiver.verifiedTypes(SECRET, call.id), WHOLE_CALL);
    assert.equal(receiver.accepted.at(-1)?.event.data.endedBy, 'guest');
  });
});
