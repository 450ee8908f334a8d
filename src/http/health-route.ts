import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** A message due this long ago and still not sent means the outbox worker is not working. */
const OUTBOX_STUCK_AFTER_MS = 5 * 60_000;

/**
 * `GET /healthz`: the process answers. `GET /readyz`: and its storage answers, and the outbox is moving (no
 * message has been due for more than five minutes).
 */
export function healthRoute(app: FastifyInstance, options: { now: () => number }): Promise<void> {
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (request) => {
    try {
      await app.storage.ping();
    } catch (error) {
      request.log.error({ err: error }, 'readiness: storage does not answer');
      throw new AppError('NOT_READY');
    }
    const due = await app.storage.outbox.nextDueAtMs();
    if (due !== undefined && options.now() - due > OUTBOX_STUCK_AFTER_MS) {
      request.log.error({ dueSinceMs: options.now() - due }, 'readiness: the outbox is stuck');
      throw new AppError('OUTBOX_STUCK');
    }
    return { status: 'ready' };
  });
  return Promise.resolve();
}
