import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CAPTURE_PEER_CONNECTIONS, mediaFlows, sampleMedia } from './browser.js';
import { startCallServiceAndChromium, stopCallService } from './call-service.js';
import { createRoom, roomLink } from '../../src/rooms/room.js';

const TIMEOUT_MS = 20_000;

let browser: Browser;
let app: FastifyInstance;
let baseUrl: string;
const contexts: BrowserContext[] = [];

before(async () => ({ app, baseUrl, browser } = await startCallServiceAndChromium()));
after(() => stopCallService({ app, browser }));

/** A person: a browser context of their own (own storage, own camera). */
async function person(): Promise<Page> {
  const context = await browser.newContext({ locale: 'es-CO', viewport: { width: 390, height: 844 } });
  contexts.push(context);
  await context.addInitScript(CAPTURE_PEER_CONNECTIONS);
  const page = await context.newPage();
  const n = contexts.length;
  page.on('console', (m) => {
    if (process.env.E2E_BROWSER_LOGS) console.log(`[p${n}]`, m.type(), m.text());
  });
  page.setDefaultTimeout(TIMEOUT_MS);
  return page;
}

/** Writes to the bot from the sandbox page as `from`. */
async function write(page: Page, from: string, text: string): Promise<void> {
  await page.fill('#from', from);
  await page.fill('#text', text);
  await page.click('#composer button[type=submit]');
  await page.locator('#chat .bubble.in', { hasText: text }).last().waitFor();
}

/** The last link the bot sent to `number`, as the sandbox page shows it. */
async function lastLinkTo(page: Page, number: string): Promise<string> {
  await page.locator('#people button', { hasText: number }).click();
  const link = page.locator('#chat .bubble.out a[href*="/room/"]').last();
  await link.waitFor();
  return (await link.getAttribute('href')) ?? '';
}

/** The problem screen as a person sees it: which problem, its title, and the actions shown (with a link's target). */
async function problemScreen(page: Page) {
  return page.$eval('#notice', (notice) => ({
    problem: (notice as HTMLElement).dataset.problem,
    title: notice.querySelector('h1')?.textContent,
    actions: [...notice.querySelectorAll<HTMLElement>('.actions > :not([hidden])')].map((action) =>
      action instanceof HTMLAnchorElement
        ? `${action.textContent} → ${action.getAttribute('href')}`
        : action.textContent,
    ),
  }));
}

async function join(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.locator('#join:not([disabled])').click();
}

describe('a call set up from WhatsApp (sandbox) in Chromium', { timeout: 120_000 }, () => {
  let ana: Page;
  let luis: Page;
  let links: Map<string, string>;

  it('sends each person their own link from one message', async () => {
    ana = await person();
    await ana.goto(`${baseUrl}/sandbox`);
    // Luis wrote to the bot earlier today, so WhatsApp lets the bot send him his own link.
    await write(ana, '+57 300 444 5566', 'hola');
    await ana.locator('#chat .bubble.out').first().waitFor();
    await write(ana, '+57 300 111 2233', 'videollamada +57 300 444 5566');
    links = new Map([
      ['573001112233', await lastLinkTo(ana, '+57 300 1112233')],
      ['573004445566', await lastLinkTo(ana, '+57 300 4445566')],
    ]);
    assert.match(links.get('573001112233') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/room\/[\w-]{22}#k=[\w-]{22}$/);
    assert.match(links.get('573004445566') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/room\/[\w-]{22}#k=[\w-]{22}$/);
    assert.notEqual(links.get('573001112233'), links.get('573004445566'));
  });

  it('delivers the invitation in the sandbox as a phone would: the forward link opens the inviter’s chat with the invitee, one tap sends it', async () => {
    const sandbox = await person();
    await sandbox.goto(`${baseUrl}/sandbox`);
    // Eva never wrote to the bot: WhatsApp would not let it write to her, so Raúl gets a link to forward.
    await write(sandbox, '+57 300 222 3344', 'videollamada +57 300 999 0001');
    const forwardButton = sandbox.locator('#chat .bubble.out button.forward').last();
    await forwardButton.waitFor();
    // Raúl's own link and the one to pass on arrive in two bubbles, never in one.
    const bubbles = sandbox.locator('#chat .bubble.out');
    const own = bubbles.filter({ has: sandbox.locator('a[href*="/room/"]') });
    assert.equal(await own.count(), 1);
    assert.equal(await own.locator('button.forward').count(), 0);
    assert.match((await own.textContent()) ?? '', /solo para ti/);
    assert.match((await bubbles.last().textContent()) ?? '', /aún no le ha escrito a este número/);
    assert.equal(await forwardButton.textContent(), 'Enviar la invitación 📨');
    // At phone size, with the chips shown, the composer is still on screen.
    const send = await sandbox.locator('#composer button[type=submit]').boundingBox();
    assert.ok(send !== null && send.y + send.height <= 844, `send button at ${JSON.stringify(send)}`);
    assert.ok((await sandbox.locator('#people button').allTextContents()).includes('+57 300 2223344'));
    await forwardButton.click();
    await sandbox.locator('#forward:not([hidden])').waitFor();
    assert.equal(await sandbox.locator('#forward-to').textContent(), 'Para: +57 300 9990001');
    assert.match(await sandbox.inputValue('#forward-text'), /te invita a una videollamada/);
    await sandbox.click('#forward button[type=submit]');
    // Now Eva's chat: the invitation from Raúl, with her own link.
    await sandbox.locator('#chat .bubble.peer .sender', { hasText: 'De +57 300 2223344' }).waitFor();
    assert.equal(
      await sandbox.locator('#people button[aria-pressed="true"]').textContent(),
      '+57 300 9990001',
    );
    const link = (await sandbox.locator('#chat .bubble.peer a[href*="/room/"]').getAttribute('href')) ?? '';
    const eva = await person();
    await eva.goto(link);
    await eva.locator('#call[data-screen="prejoin"]').waitFor();
    assert.match((await eva.locator('#title').textContent()) ?? '', /^Videollamada con /);
  });

  it('shows WhatsApp’s bold text as bold, and says in the page’s language what is wrong with a bad sender', async () => {
    const sandbox = await person();
    await sandbox.goto(`${baseUrl}/sandbox`);
    await write(sandbox, '+57 300 333 4455', 'ayuda');
    await sandbox.locator('#chat .bubble.out strong', { hasText: 'videollamada' }).first().waitFor();
    assert.doesNotMatch((await sandbox.locator('#chat .bubble.out').last().textContent()) ?? '', /\*/);
    await sandbox.fill('#from', '12');
    await sandbox.fill('#text', 'hola');
    await sandbox.click('#composer button[type=submit]');
    await sandbox.locator('#error', { hasText: 'Revisa tu número (con el código de país)' }).waitFor();
  });

  it('connects both people, and video and audio flow both ways', async (t) => {
    await join(ana, links.get('573001112233') as string);
    await ana.locator('#status', { hasText: 'Esperando a la otra persona' }).waitFor();

    luis = await person();
    const joinedAt = Date.now();
    await join(luis, links.get('573004445566') as string);
    const [luisFirst] = await mediaFlows(luis);
    t.diagnostic(
      `second join → media flowing into the second person's page: ${Date.now() - joinedAt} ms (page load and tap included, first sample ${luisFirst.videoFramesDecoded} frames)`,
    );

    for (const [who, page] of [
      ['Ana', ana],
      ['Luis', luis],
    ] as const) {
      const [first, last] = await mediaFlows(page);
      t.diagnostic(
        `${who}: frames ${first.videoFramesDecoded}→${last.videoFramesDecoded}, video bytes ${first.videoBytes}→${last.videoBytes}, audio bytes ${first.audioBytes}→${last.audioBytes}, ${last.videoWidth}px wide`,
      );
    }
    await ana.locator('#status', { hasText: 'Conectado' }).waitFor();
  });

  it('refuses a third person who opens a link already in use, and says so', async () => {
    const intruder = await person();
    await intruder.goto(links.get('573004445566') as string);
    await intruder.locator('#call[data-error="SEAT_TAKEN"]').waitFor();
    assert.deepEqual(await problemScreen(intruder), {
      problem: 'open-elsewhere',
      title: 'Este enlace ya está abierto',
      actions: ['Volver a intentar'],
    });
    assert.equal(await intruder.locator('#join').isVisible(), false);
    // The call in progress is untouched.
    await mediaFlows(ana);
  });

  it('refuses a wrong seat key, and says so', async () => {
    const stranger = await person();
    const roomUrl = (links.get('573001112233') as string).split('#')[0];
    await stranger.goto(`${roomUrl}#k=${'A'.repeat(22)}`);
    await stranger.locator('#call[data-error="SEAT_KEY_INVALID"]').waitFor();
    assert.deepEqual(await problemScreen(stranger), {
      problem: 'invalid-link',
      title: 'Este enlace no es válido',
      actions: ['Pedir un enlace nuevo → /sandbox'],
    });
    assert.equal((await sampleMedia(stranger)).videoBytes, 0);
  });

  it('connects on the first tap, call after call', async (t) => {
    // Both sides used to offer at once; one call in eight then never connected. Ten calls in a row guard that.
    for (let call = 0; call < 10; call++) {
      const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
      await app.storage.ledger.commit(`call-${room.id}`, { rooms: [room], messages: [] }, Date.now());
      const [first, second] = [await person(), await person()];
      await join(first, roomLink(baseUrl, room.id, seatKeys[0]));
      await first.locator('#call[data-status="waiting"]').waitFor();
      await join(second, roomLink(baseUrl, room.id, seatKeys[1]));
      for (const page of [first, second]) {
        await page.waitForFunction(
          () => (document.getElementById('remote-video') as HTMLVideoElement).videoWidth > 0,
          undefined,
          {
            timeout: 10_000,
          },
        );
      }
      await Promise.all([first, second].map((page) => page.context().close()));
    }
    t.diagnostic('10 calls in a row connected');
  });

  it('ends the call for both when one hangs up: duration, camera released, timer and chat gone, a way back in', async () => {
    await ana.click('#chat-toggle');
    await ana.locator('#chat:not([hidden])').waitFor();
    await luis.click('#hangup');
    await luis.locator('#notice-text', { hasText: /^Saliste de la llamada\. Duró \d+:\d\d\.$/ }).waitFor();
    assert.equal(await luis.locator('#notice-title').textContent(), 'La llamada terminó');
    await ana.locator('#call[data-screen="ended"][data-ended="peer"]').waitFor();
    await ana.locator('#status', { hasText: 'La otra persona salió de la llamada' }).waitFor();
    await ana.locator('#notice-text', { hasText: /^La otra persona colgó\. Duró \d+:\d\d\.$/ }).waitFor();
    for (const page of [ana, luis]) {
      const after = await page.evaluate(() => ({
        liveTracks: ((document.getElementById('local-video') as HTMLVideoElement).srcObject as MediaStream)
          .getTracks()
          .filter((track) => track.readyState === 'live').length,
        timerHidden: document.getElementById('timer')!.hidden,
        chatHidden: document.getElementById('chat')!.hidden,
        controlsHidden: document.getElementById('controls')!.hidden,
        rejoinShown: !document.getElementById('rejoin')!.hidden,
      }));
      assert.deepEqual(after, {
        liveTracks: 0,
        timerHidden: true,
        chatHidden: true,
        controlsHidden: true,
        rejoinShown: true,
      });
    }
    // Back in: the page opens again on the pre-join screen.
    await ana.click('#rejoin');
    await ana.locator('#call[data-screen="prejoin"]').waitFor();
  });

  it('tells someone waiting alone that the link expired, when it does', async () => {
    const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3, owners: [{}, {}] });
    await app.storage.ledger.commit(`expiring-${room.id}`, { rooms: [room], messages: [] }, Date.now());
    const alone = await person();
    await alone.setViewportSize({ width: 360, height: 640 });
    await join(alone, roomLink(baseUrl, room.id, seatKeys[0]));
    await alone.locator('#call[data-status="waiting"]').waitFor();
    // "Esperando a la otra persona…" on one line, whole, on a 360 px phone.
    const waiting = await alone.$eval('#status', (element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return { lines: range.getClientRects().length, clipped: element.scrollWidth > element.clientWidth };
    });
    assert.deepEqual(waiting, { lines: 1, clipped: false });
    await alone.locator('#call[data-screen="error"][data-error="ROOM_EXPIRED"]').waitFor({ timeout: 10_000 });
    assert.deepEqual(await problemScreen(alone), {
      problem: 'expired',
      title: 'Esta videollamada caducó',
      actions: ['Pedir un enlace nuevo → /sandbox'],
    });
    const liveTracks = await alone.evaluate(
      () =>
        ((document.getElementById('local-video') as HTMLVideoElement).srcObject as MediaStream)
          .getTracks()
          .filter((track) => track.readyState === 'live').length,
    );
    assert.equal(liveTracks, 0);
  });
});
