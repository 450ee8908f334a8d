import type { FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { ERRORS } from '../errors.js';
import { MAX_FRAME_BYTES, SIGNALING_SUBPROTOCOL } from '../protocol/signaling-constants.js';

/**
 * WebSocket support. On shutdown every page is told to reconnect (SERVER_RESTARTING): their calls keep
 * flowing peer to peer while the server is away.
 */
export const websocketPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyWebsocket, {
      options: {
        maxPayload: MAX_FRAME_BYTES,
        // The page offers our subprotocol and the seat key; only ours is ever echoed back.
        handleProtocols: (protocols: Set<string>) =>
          protocols.has(SIGNALING_SUBPROTOCOL) ? SIGNALING_SUBPROTOCOL : false,
      },
      preClose(done) {
        const message = JSON.stringify({
          type: 'error',
          code: 'SERVER_RESTARTING',
          message: ERRORS.SERVER_RESTARTING.message,
        });
        for (const socket of app.websocketServer.clients) {
          socket.send(message);
          socket.close(ERRORS.SERVER_RESTARTING.closeCode, 'SERVER_RESTARTING');
        }
        app.server.close(() => done());
      },
    });
  },
  { name: 'websocket' },
);
