// Call setup in Chromium, for the bench and the TURN test: the first person joins and waits; the second taps
// Join; the time from that tap to the first remote video frame on both sides (requestVideoFrameCallback).
import type { Page } from 'playwright-core';
import { launchChromium } from './browser.js';

/** Records the Join tap and the first remote frame, in the page's clock (both pages share one browser). */
const INSTRUMENT = `
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('join').addEventListener('click', () => { window.__joinAt = Date.now(); }, { capture: true });
    const video = document.getElementById('remote-video');
    video.requestVideoFrameCallback(() => { window.__firstFrameAt = Date.now(); });
  });
`;

function read(page: Page, name: '__joinAt' | '__firstFrameAt'): Promise<number | undefined> {
  return page.evaluate((key) => (window as unknown as Record<string, number | undefined>)[key], name);
}

/** Milliseconds from the second person's tap to the first remote frame on both sides, one entry per call. */
export async function measureCallSetup(links: readonly (readonly [string, string])[]): Promise<number[]> {
  const browser = await launchChromium();
  const results: number[] = [];
  try {
    for (const [first, second] of links) {
      const pages = await Promise.all(
        [first, second].map(async () => {
          const context = await browser.newContext();
          await context.addInitScript(INSTRUMENT);
          const page = await context.newPage();
          page.setDefaultTimeout(20_000);
          return page;
        }),
      );
      const [a, b] = pages as [Page, Page];
      await a.goto(first);
      await a.locator('#join:not([disabled])').click();
      await a.locator('#call[data-status="waiting"]').waitFor();
      await b.goto(second);
      await b.locator('#join:not([disabled])').click();
      for (const page of pages)
        await page.waitForFunction(
          () => (window as unknown as { __firstFrameAt?: number }).__firstFrameAt !== undefined,
        );
      const joinAt = (await read(b, '__joinAt')) ?? NaN;
      const frames = await Promise.all(pages.map((page) => read(page, '__firstFrameAt')));
      results.push(Math.max(...frames.map((t) => t ?? NaN)) - joinAt);
      await Promise.all(pages.map((page) => page.context().close()));
    }
  } finally {
    await browser.close();
  }
  return results;
}
