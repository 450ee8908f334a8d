import { AppError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import {
  clientMessageSchema,
  MAX_MESSAGE_BYTES,
  type ClientMessage,
  type IceServerConfig,
} from '../protocol/signaling-messages.js';
import type { SeatIndex } from '../rooms/room.js';
import type { RoomHub, SignalingConnection } from './room-hub.js';

/** What a handler knows about the socket a message came from. */
export interface HandlerContext {
  readonly roomId: string;
  readonly seat: SeatIndex;
  readonly connection: SignalingConnection;
  readonly hub: RoomHub;
  readonly metrics: Metrics;
  /** The ICE servers for this socket, with TURN credentials minted now. */
  readonly iceServers: () => readonly IceServerConfig[];
}

type Handlers = {
  [T in ClientMessage['type']]: (ctx: HandlerContext, message: Extract<ClientMessage, { type: T }>) => void;
};

/** One small handler per message type. */
const handlers: Handlers = {
  description: (ctx, { description }) =>
    ctx.hub.relay(ctx.roomId, ctx.seat, ctx.connection, {
      type: 'description',
      sessionId: ctx.connection.sessionId,
      description,
    }),
  candidate: (ctx, { candidate }) =>
    ctx.hub.relay(ctx.roomId, ctx.seat, ctx.connection, {
      type: 'candidate',
      sessionId: ctx.connection.sessionId,
      candidate,
    }),
  ping: (ctx) => ctx.connection.send({ type: 'pong' }),
  'refresh-ice': (ctx) => ctx.connection.send({ type: 'ice-servers', iceServers: ctx.iceServers() }),
  connected: (ctx, { setupMs, path }) => {
    ctx.metrics.callSetupSeconds.observe(setupMs / 1000);
    ctx.metrics.callsConnected.inc({ path });
  },
  leave: (ctx) => {
    ctx.metrics.callsCompleted.inc();
    ctx.hub.leave(ctx.roomId, ctx.seat, ctx.connection, 'hangup');
    ctx.connection.close(1000, 'hangup');
  },
};

/** Reads one WebSocket frame into a message, or the coded error its sender gets back. */
export function parseClientMessage(data: Buffer, isBinary: boolean): ClientMessage | AppError {
  if (data.byteLength > MAX_MESSAGE_BYTES) return new AppError('MESSAGE_TOO_LARGE');
  if (isBinary) return new AppError('MESSAGE_INVALID', 'Signaling messages are JSON text frames.');
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    return new AppError('MESSAGE_INVALID', 'The message is not valid JSON.');
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) {
    const type = (json as { type?: unknown } | null)?.type;
    return new AppError(
      'MESSAGE_INVALID',
      typeof type === 'string'
        ? `The "${type.slice(0, 32)}" message is not valid.`
        : 'The message has no known type.',
    );
  }
  return parsed.data;
}

/** Runs the handler for a parsed message. */
export function dispatch(ctx: HandlerContext, message: ClientMessage): void {
  (handlers[message.type] as (ctx: HandlerContext, message: ClientMessage) => void)(ctx, message);
}
