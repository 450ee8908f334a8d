import { otherSeat } from '../../rooms/room.js';
import type { MessageLedger } from '../../calls/message-ledger.js';
import type { RoomStore } from '../../rooms/room-store.js';
import { textContent } from './message-content.js';
import { isWindowOpen, type PeopleStore } from './people.js';
import { languageForWaId, personLabel, textsFor } from './texts.js';
import type { Language } from '../../protocol/language.js';

/** How long one person waits alone in a room before the other is reminded, unless NUDGE_AFTER says. */
export const NUDGE_AFTER_MS = 60_000;

/** What nudging reads and writes. */
export interface NudgeState {
  readonly rooms: RoomStore;
  readonly people: PeopleStore;
  readonly ledger: MessageLedger;
}

/** A line's language, for people whose number says nothing of theirs. */
export type LineLanguage = (line: string) => Language | undefined;

/**
 * Reminds the person who has not joined a room that the other is waiting, once per room, and only when
 * WhatsApp still lets the bot write to them (their 24-hour window is open). Returns how many were queued.
 */
export async function runNudges(
  storage: NudgeState,
  nowMs: number,
  lineLanguage: LineLanguage = () => undefined,
  afterMs = NUDGE_AFTER_MS,
): Promise<number> {
  let queued = 0;
  for (const { room, waitingSeat } of await storage.rooms.waitingForSecondPerson(nowMs - afterMs, nowMs)) {
    const waiter = room.seats[waitingSeat];
    const present = room.seats[otherSeat(waitingSeat)];
    // The reminder leaves from the room's line, inside the window the person has there.
    const person = waiter.waId === undefined ? undefined : await storage.people.get(waiter.waId, room.line);
    if (waiter.waId !== undefined && isWindowOpen(person?.lastInboundAtMs, nowMs)) {
      const texts = textsFor(person?.language ?? languageForWaId(waiter.waId, lineLanguage(room.line)));
      const id = `${room.id}:nudge`;
      const body = texts.nudge(personLabel(present.name, present.waId));
      const message = {
        id,
        kind: 'reply',
        line: room.line,
        to: waiter.waId,
        roomId: room.id,
        content: textContent(body),
      } as const;
      if (await storage.ledger.commit(id, { rooms: [], messages: [message] }, nowMs)) queued++;
    }
    await storage.rooms.markNudged(room.id, nowMs);
  }
  return queued;
}
