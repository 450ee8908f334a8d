import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { Metrics } from '../metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counters, gauges and histograms exported on /metrics. */
    metrics: Metrics;
  }
}

/** `GET /metrics` in Prometheus format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`. */
export const metricsPlugin = fp(
  (app: FastifyInstance, options: { token: string | undefined }) => {
    const metrics = new Metrics();
    app.decorate('metrics', metrics);
    const expected = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
    app.get('/metrics', async (request, reply) => {
      if (expected !== undefined) {
        const given = Buffer.from(request.headers.authorization ?? '');
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
          throw new AppError('METRICS_UNAUTHORIZED');
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    return Promise.resolve();
  },
  { name: 'metrics' },
);
