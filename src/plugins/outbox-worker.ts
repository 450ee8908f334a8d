import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OutboxWorker, type OutboxWorkerSettings } from '../whatsapp/outbox-worker.js';
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
    options: { client: WhatsAppClient; settings?: OutboxWorkerSettings | undefined; now: () => number },
  ) => {
    const worker = new OutboxWorker(
      app.storage.outbox,
      options.client,
      app.log,
      options.settings,
      options.now,
    );
    app.decorate('outboxWorker', worker);
    app.addHook('onReady', () => worker.start());
    app.addHook('preClose', () => worker.stop());
    return Promise.resolve();
  },
  { name: 'outbox-worker', dependencies: ['storage'] },
);
