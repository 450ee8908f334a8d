import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { createRoom } from '../../src/rooms/room.js';
import type { Storage } from '../../src/storage/storage.js';

/** A page driven by Playwright (Chromium) or by Puppeteer over WebDriver BiDi (Firefox). */
export type AnyPage = Page | PuppeteerPage;

/** Runs `fn` in the page: both drivers take a plain function and return its awaited result. */
function inPage<R>(page: AnyPage, fn: () => R | Promise<R>): Promise<R> {
  return (page as Page).evaluate(fn);
}

/** Debian's Chromium with fake camera and microphone, and nothing that reaches outside the machine. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
}

/** Keeps every RTCPeerConnection a page makes in window.__pcs, so the test can read its stats. */
export const CAPTURE_PEER_CONNECTIONS = `
  window.__pcs = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  };
`;

/**
 * Lets a test hold a page's outgoing signaling messages (window.__hold()) and send them all later
 * (window.__release()): with both pages held, both can make an offer before either sees the other's.
 */
export const HOLD_SIGNALING = `
  const send = WebSocket.prototype.send;
  let held = null;
  WebSocket.prototype.send = function (data) {
    if (held) held.push([this, data]);
    else send.call(this, data);
  };
  window.__hold = () => { held = []; };
  window.__release = () => { const out = held ?? []; held = null; for (const [socket, data] of out) send.call(socket, data); };
`;

/** The ICE username fragment the other side sent last: it changes with every ICE restart. */
export function remoteIceUfrag(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    return /a=ice-ufrag:(\S+)/.exec(pcs.at(-1)?.remoteDescription?.sdp ?? '')?.[1];
  });
}

/** Runs `trigger`, then waits until `receiver` holds the other side's new ICE credentials: an ICE restart. */
export async function iceRestartSeenBy(
  receiver: Page,
  trigger: () => Promise<unknown>,
  what: string,
): Promise<void> {
  const before = await remoteIceUfrag(receiver);
  await trigger();
  const deadline = Date.now() + 10_000;
  while ((await remoteIceUfrag(receiver)) === before) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

/** Makes the page's peer connection restart ICE, as the page does itself when the network changes. */
export function restartIce(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0]!.restartIce());
}

/** What a person receives, read from the newest peer connection's inbound RTP stats and the remote video. */
export interface MediaSample {
  videoFramesDecoded: number;
  videoBytes: number;
  audioBytes: number;
  videoWidth: number;
  candidatePairType: string | undefined;
}

/** What a page shows and how its peer connections stand: printed when a media assertion fails. */
export function describeCall(page: AnyPage): Promise<string> {
  return inPage(page, () => {
    const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
    const call = document.getElementById('call');
    return JSON.stringify({
      screen: call?.dataset.screen,
      status: document.getElementById('status')?.textContent,
      pcs: pcs.map((pc) => [
        pc.connectionState,
        pc.iceConnectionState,
        pc.signalingState,
        pc.iceGatheringState,
      ]),
    });
  });
}

export function sampleMedia(page: AnyPage): Promise<MediaSample> {
  return inPage(page, async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = pcs[pcs.length - 1];
    const sample = {
      videoFramesDecoded: 0,
      videoBytes: 0,
      audioBytes: 0,
      videoWidth: 0,
      candidatePairType: undefined as string | undefined,
    };
    if (pc === undefined) return sample;
    const stats = await pc.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    stats.forEach((report: Record<string, unknown>) => byId.set(report.id as string, report));
    stats.forEach((report: Record<string, unknown>) => {
      if (report.type === 'inbound-rtp' && report.kind === 'video') {
        sample.videoFramesDecoded += Number(report.framesDecoded ?? 0);
        sample.videoBytes += Number(report.bytesReceived ?? 0);
      }
      if (report.type === 'inbound-rtp' && report.kind === 'audio')
        sample.audioBytes += Number(report.bytesReceived ?? 0);
      if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') {
        const local = byId.get(report.localCandidateId as string);
        sample.candidatePairType = local?.candidateType as string | undefined;
      }
    });
    sample.videoWidth = (document.getElementById('remote-video') as HTMLVideoElement | null)?.videoWidth ?? 0;
    return sample;
  });
}

/**
 * Resolves when media is flowing into `page`: video frames decoded, video and audio bytes all rising past a
 * first sample, and the remote video has a size. Returns the two samples.
 */
export async function mediaFlows(page: AnyPage, timeoutMs = 15_000): Promise<[MediaSample, MediaSample]> {
  const deadline = Date.now() + timeoutMs;
  let first = await sampleMedia(page);
  while (first.videoFramesDecoded === 0 && Date.now() < deadline) {
    await delay(100);
    first = await sampleMedia(page);
  }
  for (;;) {
    const now = await sampleMedia(page);
    if (
      now.videoFramesDecoded > first.videoFramesDecoded &&
      now.videoBytes > first.videoBytes &&
      now.audioBytes > first.audioBytes &&
      now.videoWidth > 0
    ) {
      return [first, now];
    }
    if (Date.now() > deadline) {
      throw new Error(
        `media is not flowing: first ${JSON.stringify(first)}, last ${JSON.stringify(now)}, ` +
          `page ${await describeCall(page)}`,
      );
    }
    await delay(100);
  }
}

/**
 * A fresh room in `app`'s storage, and both people in it: a browser context each (Spanish), each page opened at its
 * link (`query` goes before the fragment, e.g. "?ice=relay") and joined. Returns the two pages.
 */
export async function joinNewCall(
  browser: Browser,
  app: { readonly storage: Pick<Storage, 'ledger'> },
  baseUrl: string,
  query = '',
  contextOptions: BrowserContextOptions = {},
  initScripts: readonly string[] = [],
): Promise<[Page, Page]> {
  const { room, seatKeys } = createRoom({ nowMs: Date.now(), ttlSeconds: 3600, owners: [{}, {}] });
  await app.storage.ledger.commit(`e2e-${room.id}`, { rooms: [room], messages: [] }, Date.now());
  const pages: Page[] = [];
  for (const key of seatKeys) {
    const context = await browser.newContext({ locale: 'es-CO', ...contextOptions });
    for (const script of [CAPTURE_PEER_CONNECTIONS, ...initScripts]) await context.addInitScript(script);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/room/${room.id}${query}#k=${key}`);
    await page.locator('#join:not([disabled])').click();
    pages.push(page);
  }
  return pages as [Page, Page];
}
