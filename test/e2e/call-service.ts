import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { freePort } from '../helpers/free-port.js';
import { FAST_OUTBOX, testConfig } from '../helpers/test-app.js';
import { launchChromium } from './browser.js';

/**
 * The service as the browser tests use it: sandbox WhatsApp (no Meta account, the same signed webhook path as
 * real traffic), on a free port of 127.0.0.1, which browsers treat as a secure origin over plain http.
 */
export async function startCallService(
  env: Record<string, string> = {},
): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await buildApp(testConfig({ PUBLIC_BASE_URL: baseUrl, ...env }), {
    logger: false,
    outboxWorker: FAST_OUTBOX,
  });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, baseUrl };
}

/** The service and a Chromium for a test file; `stopCallService` ends both. */
export async function startCallServiceAndChromium(): Promise<{
  app: FastifyInstance;
  baseUrl: string;
  browser: Browser;
}> {
  return { ...(await startCallService()), browser: await launchChromium() };
}

export async function stopCallService(parts: { app?: FastifyInstance; browser?: Browser }): Promise<void> {
  await parts.browser?.close();
  await parts.app?.close();
}
