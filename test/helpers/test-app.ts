import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDependencies } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createApiKey, type ApiScope } from '../../src/api/api-keys.js';
import { TEST_APP_SECRET, TEST_PHONE_NUMBER_ID, TEST_VERIFY_TOKEN } from './webhook-payloads.js';

/**
 * A config for tests: in-memory storage, no ICE servers (nothing outside the machine), quiet logs, and the
 * business number of the payloads in webhook-payloads.ts as its one line.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: ':memory:',
    WABA_PHONE_NUMBER_ID: TEST_PHONE_NUMBER_ID,
    APP_SECRET: TEST_APP_SECRET,
    VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    ICE_SERVERS_JSON: '[]',
    PUBLIC_BASE_URL: 'http://127.0.0.1:8000',
    LOG_LEVEL: 'silent',
    WHATSAPP_MAX_SENDS_PER_SECOND: '1000',
    ...env,
  });
}

/** A config that sends to `graphApiBaseUrl` (the fake Graph API) instead of the sandbox. */
export function cloudConfig(graphApiBaseUrl: string, env: Record<string, string> = {}): Config {
  return testConfig({
    WHATSAPP_TOKEN: 'test-token',
    GRAPH_API_BASE_URL: graphApiBaseUrl,
    ...env,
  });
}

/** Outbox timings that keep tests fast: retries after a few milliseconds. */
export const FAST_OUTBOX = {
  maxInFlight: 32,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
  maxAttempts: 5,
  pollIntervalMs: 20,
  unconfirmedWaitMs: 200,
  maxSendsPerSecond: 1000,
  pairRateBaseDelayMs: 10,
} as const;

/** Builds the app, readies it, and closes it when the test ends. */
export async function startApp(
  t: TestContext,
  config: Config,
  deps: AppDependencies = {},
): Promise<FastifyInstance> {
  // Each line's throughput cap is its configuration's (testConfig's is high).
  const { maxSendsPerSecond, ...fast } = FAST_OUTBOX;
  const app = await buildApp(config, { logger: false, outboxWorker: fast, ...deps });
  t.after(() => app.close());
  await app.ready();
  return app;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 5_000, intervalMs = 10, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A new API key stored in `app`, and the Authorization header that carries it. */
export async function apiKeyFor(
  app: FastifyInstance,
  scopes: ApiScope[] = ['write'],
  lines?: string[],
): Promise<{ id: string; auth: { authorization: string } }> {
  const { record, key } = createApiKey({ name: 'crm', scopes, lines, nowMs: Date.now() });
  await app.storage.apiKeys.insert(record);
  return { id: record.id, auth: { authorization: `Bearer ${key}` } };
}
