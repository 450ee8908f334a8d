import type { Line, ReminderTemplate } from '../../config.js';
import type { MessageLedger } from '../../calls/message-ledger.js';
import type { SeatIndex } from '../../rooms/room.js';
import type { BookedRoom, RoomStore } from '../../rooms/room-store.js';
import { bookingTexts } from '../../scheduling/booking-texts.js';
import { timeZoneFor } from '../../scheduling/time-zones.js';
import { timeInWords } from '../../scheduling/when-in-words.js';
import type { MessageContent, OutgoingMessage } from '../outbox/outbox.js';
import { linkButtonContent, templateContent, templateUrlButton, textContent } from './message-content.js';
import { oneLine } from '../../text-from-people.js';
import { isWindowOpen, type PeopleStore } from './people.js';
import { languageForWaId, personLabel, textsFor } from './texts.js';

/** What reminding reads and writes. */
export interface ReminderState {
  readonly rooms: RoomStore;
  readonly people: PeopleStore;
  readonly ledger: MessageLedger;
}

/**
 * The approved reminder template for someone outside their window: the other person and the time in the body,
 * the link's suffix (room and seat key, as the invitation template's) in its URL button.
 */
export function reminderTemplateContent(
  template: ReminderTemplate,
  other: string,
  time: string,
  link: string,
): MessageContent {
  const url = new URL(link);
  const key = new URLSearchParams(url.hash.slice(1)).get('k') ?? '';
  const roomId = url.pathname.split('/').at(-1) ?? '';
  return templateContent(template, [
    {
      type: 'body',
      parameters: [
        { type: 'text', text: oneLine(other, 60) },
        { type: 'text', text: time },
      ],
    },
    templateUrlButton(template.buttonIndex, `${roomId}?k=${key}`),
  ]);
}

/** One person's reminder: free-form inside their window, the line's template outside it, else none. */
async function reminderFor(
  booked: BookedRoom,
  seat: SeatIndex,
  line: Line | undefined,
  state: ReminderState,
  nowMs: number,
): Promise<OutgoingMessage | undefined> {
  const { room, links } = booked;
  const person = room.seats[seat];
  const other = room.seats[seat === 0 ? 1 : 0];
  const link = links?.[seat];
  if (person.waId === undefined || room.startsAtMs === undefined || link === undefined) return undefined;
  // Someone already in the room (they came early) needs no reminder.
  if (room.joinedAtMs?.[seat] !== undefined) return undefined;
  const known = await state.people.get(person.waId, room.line);
  const language = known?.language ?? languageForWaId(person.waId, line?.language);
  const zone = timeZoneFor(person.waId, line?.timeZone);
  const time = timeInWords(room.startsAtMs, zone, language, person.waId);
  const otherLabel = personLabel(other.name, other.waId);
  const base = {
    id: `${room.id}:reminder:${seat}:${room.startsAtMs}`,
    kind: 'reply',
    line: room.line,
    to: person.waId,
    roomId: room.id,
  } as const;
  if (isWindowOpen(known?.lastInboundAtMs, nowMs)) {
    const texts = textsFor(language);
    const body = bookingTexts(language).reminder(otherLabel, time, link);
    return {
      ...base,
      content: link.startsWith('https://')
        ? linkButtonContent({
            header: texts.callHeader(),
            body: body.slice(0, body.lastIndexOf('\n')),
            buttonText: texts.joinButton(),
            url: link,
            fallbackText: body,
          })
        : textContent(body),
    };
  }
  // Never free-form outside the window: the approved template, or nothing.
  if (line?.reminderTemplate === undefined) return undefined;
  return { ...base, content: reminderTemplateContent(line.reminderTemplate, otherLabel, time, link) };
}

/**
 * Reminds both people of each booked call starting within `beforeMs`, once per call and time (a moved call is
 * reminded again at its new time): the reminders are committed under one id, so a second instance or a second
 * run writes nothing. Returns how many messages were queued. The state lives in the store: a restart picks up
 * what is due, whenever it comes back before the room's end.
 */
export async function runReminders(
  state: ReminderState,
  lines: readonly Line[],
  beforeMs: number,
  nowMs: number,
): Promise<number> {
  let queued = 0;
  for (const booked of await state.rooms.remindersDue(nowMs + beforeMs, nowMs, 100)) {
    const { room } = booked;
    const line = lines.find((candidate) => candidate.id === room.line);
    const messages: OutgoingMessage[] = [];
    for (const seat of [0, 1] as const) {
      const message = await reminderFor(booked, seat, line, state, nowMs);
      if (message !== undefined) messages.push(message);
    }
    const id = `${room.id}:reminders:${room.startsAtMs}`;
    if (await state.ledger.commit(id, { rooms: [], messages }, nowMs)) queued += messages.length;
    await state.rooms.markReminded(room.id, room.startsAtMs as number, nowMs);
  }
  return queued;
}
