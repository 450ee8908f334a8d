import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OutboxWorker, type OutboxWorkerSettings } from '../whatsapp/outbox-worker.js';
import { reportUndelivered } from '../whatsapp/undelivered-invitations.js';
import type { SendError, WhatsAppClient } from '../whatsapp/whatsapp-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends the outbox; kick it after committing new messages. */
    outboxWorker: OutboxWorker;
  }
}

/** Starts sending once the app is ready; on close, finishes the sends under way before storage closes. */
export const outboxWorkerPlugin = fp(
  (
    app: FastifyInstance,
    options: { client: WhatsAppClient; settings: OutboxWorkerSettings; now: () => number },
  ) => {
    const { metrics } = app;
    const graphError = (failure: SendError) =>
      metrics.graphApiErrors.inc({
        code: String(failure.details.code ?? failure.details.httpStatus ?? 'network'),
      });
    const worker = new OutboxWorker(
      app.storage.outbox,
      options.client,
      app.log,
      options.settings,
      options.now,
      {
        sent: (entry) => metrics.outgoing.inc({ kind: entry.kind, outcome: 'sent' }),
        retrying: (entry, failure) => {
          metrics.outgoing.inc({ kind: entry.kind, outcome: 'retry' });
          graphError(failure);
        },
        // A failed invitation becomes a notice to the inviter, which this same worker then sends.
        failedForGood: async (entry, failure) => {
          metrics.outgoing.inc({ kind: entry.kind, outcome: 'failed' });
          graphError(failure);
          if (await reportUndelivered(app.storage.ledger, entry, failure.details.code, options.now()))
            worker.kick();
        },
      },
    );
    app.decorate('outboxWorker', worker);
    app.addHook('onReady', () => worker.start());
    app.addHook('preClose', () => worker.stop());
    return Promise.resolve();
  },
  { name: 'outbox-worker', dependencies: ['storage', 'metrics'] },
);
