import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { connectionIdSchema } from '../protocol/signaling-messages.js';
import { partialPhoneNumber } from '../phone-number.js';
import { opensAtMs, otherSeat } from '../rooms/room.js';
import { authorizeSeat, seatKeyFromAuthorization } from './seat-auth.js';
import type { SignalingHub } from './signaling-hub.js';

export interface RoomApiOptions {
  /** Seat presence, wherever it is kept: any instance answers for any room. */
  readonly hub: SignalingHub;
  readonly now: () => number;
}

const roomQuerySchema = z.object({ client: connectionIdSchema.optional() });

/**
 * `GET /api/rooms/:roomId`: tells a page holding a seat key where it stands (its seat, who it calls, whether
 * the other person is there, when the link expires), and why a WebSocket upgrade would be refused.
 */
export function roomApiRoute(app: FastifyInstance, options: RoomApiOptions): Promise<void> {
  app.get<{ Params: { roomId: string } }>('/api/rooms/:roomId', async (request, reply) => {
    const seatKey = seatKeyFromAuthorization(request.headers.authorization);
    const { room, seat } = await authorizeSeat(
      app.storage.rooms,
      request.params.roomId,
      seatKey,
      options.now(),
    );
    const query = roomQuerySchema.safeParse(request.query);
    if (!query.success) throw new AppError('BAD_REQUEST', 'client must be a connection id.');
    const { client } = query.data;
    if (client !== undefined && (await options.hub.admission(room.id, seat, client)) === 'taken') {
      throw new AppError('SEAT_TAKEN');
    }
    reply.header('cache-control', 'no-store');
    const peer = room.seats[otherSeat(seat)];
    // Who this link calls, for the pre-join screen: the name the bot knows, or a number shown only in part.
    const peerLabel = peer.name ?? (peer.waId === undefined ? undefined : partialPhoneNumber(peer.waId));
    return {
      seat,
      peerPresent: await options.hub.isConnected(room.id, otherSeat(seat)),
      expiresAt: room.expiresAtMs,
      // A booked call: when it starts, and when its room opens (the page counts down until then).
      ...(room.startsAtMs !== undefined && { startsAt: room.startsAtMs, opensAt: opensAtMs(room) }),
      ...(peerLabel !== undefined && { peerLabel }),
    };
  });
  return Promise.resolve();
}
