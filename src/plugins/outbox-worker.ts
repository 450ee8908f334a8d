import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OutboxWorker, type OutboxWorkerSettings } from '../whatsapp/outbox-worker.js';
import type { OutboxEntry } from '../whatsapp/outbox.js';
import { reportUndelivered } from '../whatsapp/undelivered-invitations.js';
import type { WhatsAppClient } from '../whatsapp/whatsapp-client.js';

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
    // A failed invitation becomes a notice to the inviter, which this same worker then sends.
    const onFailedForGood = async (entry: OutboxEntry, errorCode: number | undefined) => {
      if (await reportUndelivered(app.storage.ledger, entry, errorCode, options.now())) worker.kick();
    };
    const worker = new OutboxWorker(
      app.storage.outbox,
      options.client,
      app.log,
      options.settings,
      options.now,
      onFailedForGood,
    );
    app.decorate('outboxWorker', worker);
    app.addHook('onReady', () => worker.start());
    app.addHook('preClose', () => worker.stop());
    return Promise.resolve();
  },
  { name: 'outbox-worker', dependencies: ['storage'] },
);
