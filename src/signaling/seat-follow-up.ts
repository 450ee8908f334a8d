import type { FastifyInstance } from 'fastify';
import type { EventType } from '../config-events.js';
import type { HistoryChange, Participant } from '../history/call-history.js';
import { browserAndPlatform } from '../history/user-agent.js';
import type { Room, SeatIndex } from '../rooms/room.js';
import type { PageReport } from './message-handlers.js';

/** What one seat's socket tells the systems (call events) and the call history. */
export interface SeatFollowUp {
  /** The seat was taken by this socket's page load. */
  readonly joined: () => void;
  /** The page reported its call connected, or hung up. */
  readonly happened: (what: PageReport | 'hangup') => void;
  /** The socket closed without a hang-up, while it still held the seat. */
  readonly lost: () => void;
}

/**
 * Follows a seat's socket: each call event is recorded once, whichever socket or instance sees it first; each
 * history change once per page load. Failures are logged: the call goes on without them.
 */
export function seatFollowUp(
  app: FastifyInstance,
  options: {
    room: Room;
    seat: SeatIndex;
    connectionId: string;
    userAgent: string | undefined;
    log: { error(details: object, message: string): void };
    now: () => number;
  },
): SeatFollowUp {
  const { room, seat, connectionId, log, now } = options;
  const participant: Participant = seat === 0 ? 'host' : 'guest';
  const event = (cause: string, type: EventType, data: (current: Room) => Record<string, unknown>) => {
    if (!app.callEvents.enabled) return;
    app.storage.rooms
      .get(room.id)
      .then((current) => current && app.callEvents.emit(cause, type, current, data(current), now()))
      .then(
        (queued) => queued && app.outboxWorker.kick(),
        (error: unknown) => log.error({ err: error }, 'signaling: could not record a call event'),
      );
  };
  const history = (what: string, change: HistoryChange) => {
    app.storage.history
      .record({ id: `${room.id}:${seat}:${what}:${connectionId}`, roomId: room.id, atMs: now(), change })
      .catch((error: unknown) => log.error({ err: error }, 'signaling: could not record the call history'));
  };
  let hungUp = false;
  return {
    joined: () => {
      history('joined', { kind: 'joined', participant, ...browserAndPlatform(options.userAgent) });
      // Who has been in the room tells the nudges whom to remind.
      app.storage.rooms
        .markJoined(room.id, seat, now())
        .then(
          (first) =>
            first && event(`${room.id}:${seat}:joined`, 'participant.joined', () => ({ participant })),
        )
        .catch((error: unknown) => log.error({ err: error }, 'signaling: could not record the join'));
    },
    happened: (what) => {
      if (what !== 'hangup') {
        history('connected', { kind: 'connected', participant, ...what });
        event(`${room.id}:connected`, 'call.connected', () => ({ path: what.path }));
        return;
      }
      hungUp = true;
      history('left', { kind: 'left', participant, reason: 'hangup' });
      event(`${room.id}:${seat}:left:${connectionId}`, 'participant.left', () => ({ participant }));
      event(`${room.id}:ended`, 'call.ended', (current) => {
        // From the moment both were in (each seat's first join) to the hang-up.
        const [host, guest] = current.joinedAtMs ?? [];
        const both = host === undefined || guest === undefined ? undefined : Math.max(host, guest);
        return {
          endedBy: participant,
          ...(both !== undefined && { durationSeconds: Math.round((now() - both) / 1000) }),
        };
      });
    },
    lost: () => {
      if (!hungUp) history('left', { kind: 'left', participant, reason: 'lost' });
    },
  };
}
