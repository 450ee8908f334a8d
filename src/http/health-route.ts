import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** `GET /healthz`: the process answers. `GET /readyz`: and its storage does too. */
export function healthRoute(app: FastifyInstance): Promise<void> {
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (request) => {
    try {
      await app.storage.ping();
    } catch (error) {
      request.log.error({ err: error }, 'readiness: storage does not answer');
      throw new AppError('NOT_READY');
    }
    return { status: 'ready' };
  });
  return Promise.resolve();
}
