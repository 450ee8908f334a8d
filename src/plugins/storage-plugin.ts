import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HistoryRecorder } from '../history/history-recorder.js';
import type { Storage } from '../storage/storage.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Rooms, processed message ids and the outbox. */
    storage: Storage;
    /** Writes what sockets report to the call history in the background. */
    historyRecorder: HistoryRecorder;
  }
}

/**
 * Makes the storage available to routes and closes it last, after sockets and the outbox worker, once what the
 * sockets reported on their way out is in the history.
 */
export const storagePlugin = fp(
  (app: FastifyInstance, options: { storage: Storage }) => {
    const recorder = new HistoryRecorder(options.storage.history, {
      // A quarter of the PostgreSQL pool's ten connections; SQLite writes one at a time anyway.
      concurrency: 3,
      tries: 6,
      maxWaiting: 500_000,
      log: app.log,
    });
    app.decorate('storage', options.storage);
    app.decorate('historyRecorder', recorder);
    app.addHook('onClose', async () => {
      await recorder.drain();
      await options.storage.close();
    });
    return Promise.resolve();
  },
  { name: 'storage' },
);
