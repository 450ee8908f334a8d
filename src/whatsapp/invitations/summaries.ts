import type { Line } from '../../config.js';
import type { MessageLedger } from '../../calls/message-ledger.js';
import type { Room } from '../../rooms/room.js';
import type { RoomStore } from '../../rooms/room-store.js';
import { bookingTexts } from '../../scheduling/booking-texts.js';
import { timeZoneFor } from '../../scheduling/time-zones.js';
import { whenInWords } from '../../scheduling/when-in-words.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import { textContent } from './message-content.js';
import { isWindowOpen, type PeopleStore } from './people.js';
import { languageForWaId, personLabel } from './texts.js';

/** How long after a call's time the invitee counts as not coming. */
export const NO_SHOW_AFTER_MS = 30 * 60_000;
/** Calls older than this are not summarized (a deployment that had no summaries before does not send a backlog). */
const SUMMARY_HORIZON_MS = 2 * 86_400_000;

/** What summarizing reads and writes. */
export interface SummaryState {
  readonly rooms: RoomStore;
  readonly people: PeopleStore;
  readonly ledger: MessageLedger;
}

/** "12 min", "1 h 05 min", "40 s": how long a call lasted. */
export function lastedInWords(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60
    ? `${minutes} min`
    : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The inviter's summary of a call: how long it lasted, or that the other person never came. */
async function summaryOf(room: Room, line: Line | undefined, state: SummaryState, nowMs: number) {
  const [host, guest] = room.seats;
  if (host.waId === undefined) return undefined;
  const person = await state.people.get(host.waId, room.line);
  // A summary is not worth a template: inside the inviter's window only.
  if (!isWindowOpen(person?.lastInboundAtMs, nowMs)) return undefined;
  const language = person?.language ?? languageForWaId(host.waId, line?.language);
  const texts = bookingTexts(language);
  const when = whenInWords(
    room.startsAtMs ?? room.createdAtMs,
    timeZoneFor(host.waId, line?.timeZone),
    language,
    host.waId,
  );
  const other = personLabel(guest.name, guest.waId);
  const [hostIn, guestIn] = room.joinedAtMs ?? [];
  const body =
    room.endedAtMs !== undefined && hostIn !== undefined && guestIn !== undefined
      ? texts.summaryHeld(other, when, lastedInWords(room.endedAtMs - Math.max(hostIn, guestIn)))
      : texts.summaryNoShow(other, when);
  const message: OutgoingMessage = {
    id: `${room.id}:summary`,
    kind: 'reply',
    line: room.line,
    to: host.waId,
    roomId: room.id,
    content: textContent(body),
  };
  return message;
}

/**
 * Tells each inviter how their call went, once: how long it lasted once someone hung up, or that the invitee
 * never came (NO_SHOW_AFTER_MS after its time). Inside the inviter's window only; a call whose inviter cannot
 * be written to is marked done all the same. Returns how many messages were queued.
 */
export async function runSummaries(
  state: SummaryState,
  lines: readonly Line[],
  nowMs: number,
): Promise<number> {
  let queued = 0;
  for (const room of await state.rooms.summariesDue(
    nowMs - SUMMARY_HORIZON_MS,
    nowMs - NO_SHOW_AFTER_MS,
    100,
  )) {
    const line = lines.find((candidate) => candidate.id === room.line);
    const message = await summaryOf(room, line, state, nowMs);
    const messages = message === undefined ? [] : [message];
    if (await state.ledger.commit(`${room.id}:summary`, { rooms: [], messages }, nowMs))
      queued += messages.length;
    await state.rooms.markSummarized(room.id, nowMs);
  }
  return queued;
}
