import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { IceServer } from '../config.js';
import { AppError } from '../errors.js';
import { connectionIdSchema, type ServerMessage } from '../protocol/signaling-messages.js';
import { isPolite } from '../rooms/room.js';
import { Heartbeat } from './heartbeat.js';
import { dispatch, parseClientMessage, type HandlerContext } from './message-handlers.js';
import { RoomHub, type SignalingConnection } from './room-hub.js';
import { authorizeSeat, seatKeyFromSubprotocols, type SeatGrant } from './seat-auth.js';
import { mintTurnCredentials, type TurnSettings } from './turn-credentials.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live rooms of this process. */
    roomHub: RoomHub;
  }
  interface FastifyRequest {
    seatGrant: SeatGrant | undefined;
  }
}

const querySchema = z.object({ client: connectionIdSchema, session: connectionIdSchema });

export interface SignalingOptions {
  readonly iceServers: readonly IceServer[];
  readonly turn: TurnSettings | undefined;
  readonly heartbeatIntervalMs?: number | undefined;
  readonly now: () => number;
}

function connectionFor(socket: WebSocket, clientId: string, sessionId: string): SignalingConnection {
  return {
    clientId,
    sessionId,
    send: (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    },
    close: (code, reason) => socket.close(code, reason),
  };
}

/** `WS /ws/:roomId`: authenticated before the upgrade, then a table of small handlers (docs/protocol.md). */
export const signalingRoute = fp(
  (app: FastifyInstance, options: SignalingOptions) => {
    const hub = new RoomHub();
    const heartbeat = new Heartbeat(options.heartbeatIntervalMs);
    app.decorate('roomHub', hub);
    app.decorateRequest('seatGrant', undefined);
    app.addHook('onReady', () => heartbeat.start());
    app.addHook('onClose', () => heartbeat.stop());

    const authenticate = async (request: FastifyRequest<{ Params: { roomId: string } }>) => {
      const query = querySchema.safeParse(request.query);
      if (!query.success) throw new AppError('BAD_REQUEST', 'client and session ids are required.');
      const seatKey = seatKeyFromSubprotocols(request.headers['sec-websocket-protocol']);
      const grant = await authorizeSeat(app.storage.rooms, request.params.roomId, seatKey, options.now());
      if (hub.admission(grant.room.id, grant.seat, query.data.client) === 'taken')
        throw new AppError('SEAT_TAKEN');
      request.seatGrant = grant;
    };

    app.get<{ Params: { roomId: string } }>(
      '/ws/:roomId',
      { websocket: true, preValidation: authenticate },
      (socket, request) => {
        const { room, seat } = request.seatGrant as SeatGrant;
        const { client, session } = querySchema.parse(request.query);
        const log = request.log.child({ roomId: room.id, seat });
        const connection = connectionFor(socket, client, session);
        // Static servers, plus TURN credentials minted for this seat, fresh each time they are asked for.
        const iceServers = () => [
          ...options.iceServers,
          ...(options.turn === undefined
            ? []
            : [mintTurnCredentials(options.turn, `${room.id}-${seat}`, options.now())]),
        ];
        const { metrics } = app;
        const ctx: HandlerContext = { roomId: room.id, seat, connection, hub, iceServers, metrics };
        metrics.roomJoins.inc();
        metrics.openSockets.inc();

        socket.on('error', (error) => log.warn({ err: error }, 'signaling: socket error'));
        socket.on('close', (code) => {
          metrics.openSockets.dec();
          hub.leave(room.id, seat, connection, 'lost');
          log.info({ code }, 'signaling: socket closed');
        });
        socket.on('message', (data: Buffer, isBinary: boolean) => {
          const message = parseClientMessage(data, isBinary);
          if (message instanceof AppError) {
            log.debug({ code: message.code }, 'signaling: rejected message');
            connection.send({ type: 'error', ...message.toBody() });
            return;
          }
          dispatch(ctx, message);
        });
        heartbeat.track(socket);

        hub.join(room.id, seat, connection, (peerSessionId) => ({
          type: 'joined',
          seat,
          polite: isPolite(seat),
          peerSessionId,
          iceServers: iceServers(),
          expiresAt: room.expiresAtMs,
        }));
        log.info('signaling: joined');
        // Who has been in the room tells the nudges whom to remind.
        app.storage.rooms
          .markJoined(room.id, seat, options.now())
          .catch((error: unknown) => log.error({ err: error }, 'signaling: could not record the join'));
      },
    );
    return Promise.resolve();
  },
  { name: 'signaling', dependencies: ['storage', 'metrics'] },
);
