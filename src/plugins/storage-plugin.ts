import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Storage } from '../storage/storage.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Rooms, processed message ids and the outbox. */
    storage: Storage;
  }
}

/** Makes the storage available to routes and closes it last, after sockets and the outbox worker. */
export const storagePlugin = fp(
  (app: FastifyInstance, options: { storage: Storage }) => {
    app.decorate('storage', options.storage);
    app.addHook('onClose', () => options.storage.close());
    return Promise.resolve();
  },
  { name: 'storage' },
);
