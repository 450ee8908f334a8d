import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Outbox, OutboxEntry } from './outbox.js';
import { OutboxWorker, type OutboxWorkerSettings } from './outbox-worker.js';
import type { SendError, WhatsAppClient } from './whatsapp-client.js';
import type { SendBudget } from './send-budget.js';

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
    options: {
      outbox: Outbox;
      client: WhatsAppClient;
      settings: OutboxWorkerSettings;
      /** Shared by the instances sending for one number; each process keeps its own when absent. */
      budget?: SendBudget | undefined;
      now: () => number;
      /** What a message that failed for good leads to; true when it queued new messages to send. */
      onFailedForGood?: (entry: OutboxEntry, errorCode: number | undefined) => Promise<boolean>;
    },
  ) => {
    const { metrics } = app;
    const graphError = (failure: SendError) =>
      metrics.graphApiErrors.inc({
        code: String(failure.details.code ?? failure.details.httpStatus ?? 'network'),
      });
    const worker = new OutboxWorker(
      options.outbox,
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
          if (await options.onFailedForGood?.(entry, failure.details.code)) worker.kick();
        },
      },
      options.budget,
    );
    app.decorate('outboxWorker', worker);
    app.addHook('onReady', () => worker.start());
    app.addHook('preClose', () => worker.stop());
    return Promise.resolve();
  },
  { name: 'outbox-worker', dependencies: ['metrics'] },
);
