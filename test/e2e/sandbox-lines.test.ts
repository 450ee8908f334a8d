import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { startCallService } from './call-service.js';

// The sandbox page with two lines: a person picks the number they write to, and sees which one answers.

let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

before(async () => {
  const lines = [
    { id: 'main', phoneNumberId: '106540352242922', displayName: 'Tienda' },
    { id: 'norte', phoneNumberId: '111111111111111', displayName: 'Clínica Norte' },
  ];
  ({ app, baseUrl } = await startCallService({
    WABA_PHONE_NUMBER_ID: '',
    WHATSAPP_LINES_JSON: JSON.stringify(lines),
  }));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

describe('the sandbox with two lines', { timeout: 60_000 }, () => {
  it('lets a person choose the number to write to, and shows which one answers', async () => {
    const page = await (await browser.newContext({ locale: 'es-CO' })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/sandbox`);
    await page.locator('#line-choice').waitFor({ state: 'visible' });
    assert.deepEqual(await page.locator('#line option').allTextContents(), ['Tienda', 'Clínica Norte']);
    await page.selectOption('#line', 'norte');
    await page.fill('#from', '+57 300 111 2233');
    await page.fill('#text', 'hola');
    await page.click('#composer button[type=submit]');
    const answer = page.locator('#chat .bubble.out').last();
    await answer.waitFor();
    assert.match((await answer.textContent()) ?? '', /^← Clínica Norte/);
    assert.match((await page.locator('#chat .bubble.in').last().textContent()) ?? '', /^→ Clínica Norte/);
  });
});
