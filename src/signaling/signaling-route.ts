import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { IceServer } from '../config.js';
import { AppError, ERRORS } from '../errors.js';
import { connectionIdSchema } from '../protocol/signaling-messages.js';
import { isPolite } from '../rooms/room.js';
import { Heartbeat } from './heartbeat.js';
import { dispatch, readClientFrame, type HandlerContext } from './message-handlers.js';
import type { RoomSignaling, SeatSession, SessionSocket } from './room-signaling.js';
import { authorizeSeat, refuseBeforeOpening, seatKeyFromSubprotocols, type SeatGrant } from './seat-auth.js';
import { upgradeHeadersError } from './upgrade-request.js';
import { seatFollowUp, type SeatFollowUp } from './seat-follow-up.js';
import { mintTurnCredentials, type TurnSettings } from './turn-credentials.js';

declare module 'fastify' {
  interface FastifyRequest {
    seatGrant: SeatGrant | undefined;
  }
}

const querySchema = z.object({ client: connectionIdSchema, session: connectionIdSchema });

/** Frames a socket may send before its seat is taken; more than a page ever sends at once. */
const EARLY_FRAMES_LIMIT = 256;

export interface SignalingOptions {
  /** The live rooms: seat presence and the bus between seats (in-process, or shared between instances). */
  readonly signaling: RoomSignaling;
  readonly iceServers: readonly IceServer[];
  readonly turn: TurnSettings | undefined;
  readonly heartbeatIntervalMs?: number | undefined;
  readonly now: () => number;
}

function socketPort(socket: WebSocket): SessionSocket {
  return {
    send: (frame) => {
      if (socket.readyState !== socket.OPEN) return false;
      socket.send(frame);
      return true;
    },
    close: (code, reason) => socket.close(code, reason),
  };
}

/**
 * Lets go of the upgrade's HTTP request and response once the socket is open. @fastify/websocket keeps them for
 * the socket's whole life (its `error` listener closes over Fastify's request and reply, and the upgrade's
 * response stays attached to the TCP socket): with their headers, kilobytes per idle socket. The route's own
 * `error` listener replaces the plugin's.
 */
function releaseUpgrade(socket: WebSocket): void {
  socket.removeAllListeners('error');
  const tcp = (socket as unknown as { _socket?: Socket & { _httpMessage?: ServerResponse | null } })._socket;
  if (tcp?._httpMessage) tcp._httpMessage.detachSocket(tcp);
}

/**
 * A socket's log lines, with its request id, room and seat. Not a pino child: a child per socket keeps its
 * bindings for the socket's whole life as a string built piece by piece (about 0.7 KB), and the request's own
 * logger with it; this keeps the three fields and adds them to each line.
 */
class SocketLog {
  constructor(
    private readonly logger: FastifyBaseLogger,
    private readonly fields: Readonly<Record<string, unknown>>,
  ) {}

  debug(details: object, message: string): void {
    this.logger.debug({ ...this.fields, ...details }, message);
  }

  info(details: object | string, message?: string): void {
    if (typeof details === 'string') this.logger.info(this.fields, details);
    else this.logger.info({ ...this.fields, ...details }, message);
  }

  warn(details: object | string, message?: string): void {
    if (typeof details === 'string') this.logger.warn(this.fields, details);
    else this.logger.warn({ ...this.fields, ...details }, message);
  }

  error(details: object, message: string): void {
    this.logger.error({ ...this.fields, ...details }, message);
  }
}

/** `WS /ws/:roomId`: authenticated before the upgrade, then a table of small handlers (docs/protocol.md). */
export const signalingRoute = fp(
  (app: FastifyInstance, options: SignalingOptions) => {
    const { signaling } = options;
    const heartbeat = new Heartbeat(options.heartbeatIntervalMs);
    app.decorateRequest('seatGrant', undefined);
    app.addHook('onReady', () => heartbeat.start());
    app.addHook('onClose', () => heartbeat.stop());
    // On shutdown the seats are freed (and the other people told) at once, while the live state is still
    // there; the sockets' own close handshakes may end after it is gone.
    const sessions = new Set<SeatSession>();
    app.addHook('preClose', async () => {
      await Promise.allSettled([...sessions].map((session) => session.leave('lost')));
    });

    const authenticate = async (request: FastifyRequest<{ Params: { roomId: string } }>) => {
      // A plain GET (no upgrade) is answered by the WebSocket plugin itself, with 404.
      if (request.headers.upgrade?.toLowerCase() === 'websocket') {
        const handshakeError = upgradeHeadersError(request.headers);
        if (handshakeError !== undefined) throw handshakeError;
      }
      const query = querySchema.safeParse(request.query);
      if (!query.success) throw new AppError('BAD_REQUEST', 'client and session ids are required.');
      const seatKey = seatKeyFromSubprotocols(request.headers['sec-websocket-protocol']);
      const grant = await authorizeSeat(app.storage.rooms, request.params.roomId, seatKey, options.now());
      refuseBeforeOpening(grant.room, options.now());
      if ((await signaling.hub.admission(grant.room.id, grant.seat, query.data.client)) === 'taken')
        throw new AppError('SEAT_TAKEN');
      request.seatGrant = grant;
    };

    app.get<{ Params: { roomId: string } }>(
      '/ws/:roomId',
      { websocket: true, preValidation: authenticate },
      async (socket, request) => {
        const { room, seat } = request.seatGrant as SeatGrant;
        const { client, session: sessionId } = querySchema.parse(request.query);
        const log = new SocketLog(app.log, { reqId: request.id, roomId: room.id, seat });
        // Static servers, plus TURN credentials minted for this seat, fresh each time they are asked for.
        const iceServers = () => [
          ...options.iceServers,
          ...(options.turn === undefined
            ? []
            : [mintTurnCredentials(options.turn, `${room.id}-${seat}`, options.now())]),
        ];
        const { metrics } = app;
        metrics.roomJoins.inc();
        metrics.openSockets.inc();

        let session: SeatSession | undefined;
        let closed = false;
        const early: [Buffer, boolean][] = [];
        // Set once the seat is taken; until then frames wait in `early`.
        const seated: { ctx: HandlerContext | undefined; followUp?: SeatFollowUp } = { ctx: undefined };
        const handle = (current: HandlerContext, data: Buffer, isBinary: boolean) => {
          const frame = readClientFrame(data, isBinary, current.session);
          if (frame instanceof AppError) {
            log.debug({ code: frame.code }, 'signaling: rejected message');
            current.session.send({ type: 'error', ...frame.toBody() });
            return;
          }
          dispatch(current, frame);
        };
        releaseUpgrade(socket);
        // As the plugin's listener did: a socket in error (a frame over the size limit, a broken frame) is
        // dropped at once, so that its seat is free for the page's next connection.
        socket.on('error', (error) => {
          log.warn({ err: error }, 'signaling: socket error');
          socket.terminate();
        });
        socket.on('close', (code) => {
          closed = true;
          if (session !== undefined) sessions.delete(session);
          metrics.openSockets.dec();
          log.info({ code }, 'signaling: socket closed');
          session
            ?.leave('lost')
            .then((released) => released && seated.followUp?.lost())
            .catch((error: unknown) => log.error({ err: error }, 'signaling: could not free the seat'));
        });
        // Taking the seat may wait on shared state: what the page sends meanwhile is read once it is seated.
        socket.on('message', (data: Buffer, isBinary: boolean) => {
          if (seated.ctx !== undefined) handle(seated.ctx, data, isBinary);
          else if (early.length < EARLY_FRAMES_LIMIT) early.push([data, isBinary]);
          else log.warn('signaling: frame sent before the seat was taken dropped (too many)');
        });
        heartbeat.track(socket);

        try {
          session = await signaling.join(
            { roomId: room.id, seat },
            { clientId: client, sessionId },
            socketPort(socket),
            (peerSessionId) => ({
              type: 'joined',
              seat,
              polite: isPolite(seat),
              peerSessionId,
              iceServers: iceServers(),
              expiresAt: room.expiresAtMs,
            }),
          );
        } catch (error) {
          log.error({ err: error }, 'signaling: could not take the seat');
          socket.close(ERRORS.INTERNAL.closeCode, 'INTERNAL');
          return;
        }
        if (closed) {
          await session.leave('lost');
          return;
        }
        sessions.add(session);
        const followUp = seatFollowUp(app, {
          room,
          seat,
          connectionId: session.connectionId,
          userAgent: request.headers['user-agent'],
          log,
          now: options.now,
        });
        const ctx = {
          session,
          metrics,
          iceServers,
          close: (code: number, reason: string) => socket.close(code, reason),
          happened: followUp.happened.bind(followUp),
        };
        for (const [data, isBinary] of early.splice(0)) handle(ctx, data, isBinary);
        seated.ctx = ctx;
        seated.followUp = followUp;
        log.info('signaling: joined');
        followUp.joined();
      },
    );
    return Promise.resolve();
  },
  { name: 'signaling', dependencies: ['storage', 'metrics'] },
);
