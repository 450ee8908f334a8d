import type { EventType } from '../config-events.js';
import type { Room } from '../rooms/room.js';
import type { OutgoingMessage } from '../whatsapp/outbox/outbox.js';

/** What planning needs of call events: the rows of one, to write with the change that causes it. */
export interface CallEventRows {
  /** Whether any endpoint hears of anything. */
  readonly enabled: boolean;
  messages(
    cause: string,
    type: EventType,
    room: Room,
    data: Record<string, unknown>,
    nowMs: number,
  ): OutgoingMessage[];
}
