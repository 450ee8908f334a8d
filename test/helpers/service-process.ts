import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from './test-app.js';
import { notification, signed, TEST_APP_SECRET, textMessage } from './webhook-payloads.js';

/** The service as its own process, the way it runs in production; resolves once it answers /healthz. */
export async function startService(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  await eventually(
    () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.ok,
        () => false,
      ),
    { timeoutMs: 20_000, intervalMs: 50, what: 'the service to start' },
  );
  return child;
}

/** Where a webhook goes: a URL, the next URL each time (round-robin), or a way of posting it (through a proxy). */
export type WebhookTarget =
  string | (() => string) | { post(headers: Record<string, string>, body: string): Promise<number> };

function post(target: WebhookTarget, delivery: ReturnType<typeof signed>): Promise<number> {
  if (typeof target === 'object') return target.post(delivery.headers, delivery.payload);
  return fetch(typeof target === 'string' ? target : target(), {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.payload,
  }).then(
    (response) => response.status,
    () => 0,
  );
}

/** Delivers a webhook the way Meta does: again and again until it is answered 200. */
export async function deliverUntilAccepted(
  target: WebhookTarget,
  delivery: ReturnType<typeof signed>,
  onAnswer: (status: number) => void = () => undefined,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const status = await post(target, delivery);
    if (status !== 0) onAnswer(status);
    if (status === 200) return attempt;
    await sleep(50);
  }
}

/** The signed webhook of invitation `i` of a burst: each from a new number, to one invitee who never wrote. */
export function burstInvitation(i: number, idPrefix: string): ReturnType<typeof signed> {
  const from = `5731${String(i).padStart(8, '0')}`;
  return signed(notification([textMessage(from, 'videollamada +57 300 444 5566', `wamid.${idPrefix}.${i}`)]));
}

/** The environment of a service process in Cloud API mode against the fake Graph API, quiet and fast. */
export function cloudServiceEnv(graphBaseUrl: string, confirmWaitSeconds: number): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WHATSAPP_TOKEN: 'test-token',
    WABA_PHONE_NUMBER_ID: '106540352242922',
    VERIFY_TOKEN: 'verify',
    APP_SECRET: TEST_APP_SECRET,
    GRAPH_API_BASE_URL: graphBaseUrl,
    WHATSAPP_MAX_SENDS_PER_SECOND: '1000',
    OUTBOX_CONFIRM_WAIT: `${confirmWaitSeconds}s`,
  };
}
