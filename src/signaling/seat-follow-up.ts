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

interface FollowedSeat {
  readonly room: Room;
  readonly seat: SeatIndex;
  readonly connectionId: string;
  readonly userAgent: string | undefined;
  /** Who is in the seat when it is not a browser (a WhatsApp voice call): recorded instead of the user agent. */
  readonly agent?: { readonly browser: string; readonly platform: string } | undefined;
  readonly log: { error(details: object, message: string): void };
  readonly now: () => number;
}

/**
 * Follows a seat's socket: each call event is recorded once, whichever socket or instance sees it first; each
 * history change once per page load. Failures are logged: the call goes on without them. A class rather than a
 * set of closures: one of these lives as long as its socket, and an instance holds many thousands.
 */
class SocketSeatFollowUp implements SeatFollowUp {
  private hungUp = false;
  private readonly participant: Participant;

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: FollowedSeat,
  ) {
    this.participant = options.seat === 0 ? 'host' : 'guest';
  }

  joined(): void {
    const { app, options, participant } = this;
    const { room, seat, now, log } = options;
    const agent = options.agent ?? browserAndPlatform(options.userAgent);
    this.history('joined', { kind: 'joined', participant, ...agent });
    // Who has been in the room tells the nudges whom to remind.
    app.storage.rooms
      .markJoined(room.id, seat, now())
      .then(
        (first) =>
          first && this.event(`${room.id}:${seat}:joined`, 'participant.joined', () => ({ participant })),
      )
      .catch((error: unknown) => log.error({ err: error }, 'signaling: could not record the join'));
  }

  happened(what: PageReport | 'hangup'): void {
    const { participant, options } = this;
    const { room, seat, connectionId, now } = options;
    if (what !== 'hangup') {
      this.history('connected', { kind: 'connected', participant, ...what });
      this.event(`${room.id}:connected`, 'call.connected', () => ({ path: what.path }));
      return;
    }
    this.hungUp = true;
    this.history('left', { kind: 'left', participant, reason: 'hangup' });
    // The first hang-up ends the call: its inviter is told how it went (runSummaries).
    this.app.storage.rooms
      .markEnded(room.id, now())
      .catch((error: unknown) => options.log.error({ err: error }, 'signaling: could not record the end'));
    this.event(`${room.id}:${seat}:left:${connectionId}`, 'participant.left', () => ({ participant }));
    this.event(`${room.id}:ended`, 'call.ended', (current) => {
      // From the moment both were in (each seat's first join) to the hang-up.
      const [host, guest] = current.joinedAtMs ?? [];
      const both = host === undefined || guest === undefined ? undefined : Math.max(host, guest);
      return {
        endedBy: participant,
        ...(both !== undefined && { durationSeconds: Math.round((now() - both) / 1000) }),
      };
    });
  }

  lost(): void {
    if (!this.hungUp) this.history('left', { kind: 'left', participant: this.participant, reason: 'lost' });
  }

  private event(cause: string, type: EventType, data: (current: Room) => Record<string, unknown>): void {
    const { app, options } = this;
    if (!app.callEvents.enabled) return;
    app.storage.rooms
      .get(options.room.id)
      .then((current) => current && app.callEvents.emit(cause, type, current, data(current), options.now()))
      .then(
        (queued) => queued && app.outboxWorker.kick(),
        (error: unknown) => options.log.error({ err: error }, 'signaling: could not record a call event'),
      );
  }

  private history(what: string, change: HistoryChange): void {
    const { room, seat, connectionId, now } = this.options;
    this.app.historyRecorder.record({
      id: `${room.id}:${seat}:${what}:${connectionId}`,
      roomId: room.id,
      atMs: now(),
      change,
    });
  }
}

/** Follows a seat's socket from the moment it takes the seat. */
export function seatFollowUp(app: FastifyInstance, options: FollowedSeat): SeatFollowUp {
  return new SocketSeatFollowUp(app, options);
}
