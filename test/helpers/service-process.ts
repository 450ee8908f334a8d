import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from './test-app.js';
import type { signed } from './webhook-payloads.js';

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

/** Delivers a webhook the way Meta does: again and again until it is answered 200. */
export async function deliverUntilAccepted(
  url: string | (() => string),
  delivery: ReturnType<typeof signed>,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const target = typeof url === 'string' ? url : url();
    const ok = await fetch(target, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.payload,
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return attempt;
    await sleep(50);
  }
}
