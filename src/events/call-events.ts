import { createHash } from 'node:crypto';
import type { EventEndpoint, EventType } from '../config-events.js';
import type { MessageLedger } from '../calls/message-ledger.js';
import type { CallEventRows } from '../calls/call-events-port.js';
import type { Room } from '../rooms/room.js';

// Call events for the systems that created or follow calls. An event is an outbox row per endpoint that wants
// it (line `event:<endpoint>`), written with the change that causes it where the ledger writes that change, so
// that it exists exactly when the change does; its id derives from its cause, so a repeated cause adds
// nothing. Events name the call, never a seat key, and numbers only as the API shows them.

/** The outbox line of an endpoint's events. */
export function eventLine(endpoint: EventEndpoint): string {
  return `event:${endpoint.id}`;
}

/** What every event says of its call. */
function callData(room: Room): Record<string, unknown> {
  return {
    callId: room.id,
    line: room.line,
    ...(room.startsAtMs !== undefined && { startsAt: new Date(room.startsAtMs).toISOString() }),
    ...(room.metadata !== undefined && { metadata: room.metadata }),
  };
}

/** Call events, for the endpoints that want them. */
export class CallEvents implements CallEventRows {
  constructor(
    private readonly endpoints: readonly EventEndpoint[],
    private readonly ledger: () => MessageLedger,
  ) {}

  /** Whether any endpoint hears of anything. */
  get enabled(): boolean {
    return this.endpoints.length > 0;
  }

  /**
   * The rows of event `type` about `room`, one per endpoint that wants it; `cause` names what happened, once
   * (a repeated cause makes the same rows, which the outbox keeps once).
   */
  readonly messages: CallEventRows['messages'] = (cause, type, room, data, nowMs) => {
    const id = `evt_${createHash('sha256').update(cause).digest('base64url').slice(0, 24)}`;
    return this.endpoints
      .filter((endpoint) => endpoint.events === undefined || endpoint.events.includes(type))
      .filter((endpoint) => endpoint.lines === undefined || endpoint.lines.includes(room.line))
      .map((endpoint) => ({
        id: `${id}:${endpoint.id}`,
        kind: 'event',
        line: eventLine(endpoint),
        to: endpoint.url,
        roomId: room.id,
        content: {
          type: 'event',
          event: { type, timestamp: new Date(nowMs).toISOString(), data: { ...callData(room), ...data } },
        },
      }));
  };

  /** Records an event whose cause the ledger does not write: once per cause. True when it was new. */
  async emit(
    cause: string,
    type: EventType,
    room: Room,
    data: Record<string, unknown>,
    nowMs: number,
  ): Promise<boolean> {
    const messages = this.messages(cause, type, room, data, nowMs);
    if (messages.length === 0) return false;
    return this.ledger().commit(`event:${cause}`, { rooms: [], messages }, nowMs);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Call events for the configured endpoints. */
    callEvents: CallEvents;
  }
}
