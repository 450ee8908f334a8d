import type { MessageEffects } from '../../calls/message-ledger.js';
import type { WaId } from '../../phone-number.js';
import type { Language } from '../../protocol/language.js';
import type { Room } from '../../rooms/room.js';
import { bookingTexts } from '../../scheduling/booking-texts.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import { bookedTimeFor, readBooking } from './booking.js';
import type { InvitationSettings, InvitationState } from './call-invitations.js';
import { textContent } from './message-content.js';
import { isWindowOpen } from './people.js';
import { languageForWaId, personLabel } from './texts.js';

/** What the inviter asked to change about a booked call. */
export type BookedChange =
  | { readonly kind: 'cancel'; readonly invitee: WaId | undefined }
  | { readonly kind: 'reschedule'; readonly invitee: WaId | undefined; readonly whenText: string };

/**
 * The inviter calls off or moves a booked call: theirs with `invitee`, or their only one (several: they are
 * asked which). The room is changed here, before the messages are committed, as the API's cancellation does:
 * both changes are idempotent, and the ledger sends each message once. The invitee is told inside their window
 * (once: the notice's id names the room and the change); outside it, the inviter is asked to tell them.
 * Undefined when the person has no booked call at all (a "cancelar" may then be an invitee declining).
 */
export async function planBookedChange(
  change: BookedChange,
  request: {
    readonly messageId: string;
    readonly replyTo: string;
    readonly language: Language;
    readonly inbound: NonNullable<MessageEffects['inbound']>;
    readonly settings: Pick<
      InvitationSettings,
      'line' | 'language' | 'events' | 'roomTtlSeconds' | 'timeZone'
    >;
  },
  state: InvitationState,
  nowMs: number,
): Promise<MessageEffects | undefined> {
  const { replyTo, language, inbound, settings } = request;
  const texts = bookingTexts(language);
  const reply = (body: string): OutgoingMessage => ({
    id: `${request.messageId}:reply`,
    kind: 'reply',
    line: settings.line,
    to: replyTo,
    content: textContent(body),
  });
  const booked = await state.rooms.bookedBy(replyTo, settings.line, nowMs);
  if (booked.length === 0) return change.kind === 'cancel' ? undefined : only(reply(texts.nothingBooked()));
  const matching = booked.filter(
    (room) => change.invitee === undefined || room.seats[1].waId === change.invitee,
  );
  const inviterTime = (room: Room) =>
    bookedTimeFor(room, { waId: replyTo, language }, settings.timeZone) ?? '';
  const inviteeLabel = (room: Room) => personLabel(room.seats[1].name, room.seats[1].waId);
  if (matching.length !== 1) {
    const list = booked.map((room) => texts.bookedWith(inviteeLabel(room), inviterTime(room)));
    return only(reply(matching.length === 0 ? texts.nothingBooked() : texts.whichCall(list)));
  }
  const room = matching[0] as Room;

  function only(message: OutgoingMessage): MessageEffects {
    return { rooms: [], messages: [message], inbound };
  }

  let moved: Room = room;
  if (change.kind === 'reschedule') {
    const booking = readBooking(change.whenText, { waId: replyTo, language }, settings.timeZone, nowMs);
    if (booking === undefined) return only(reply(texts.rescheduleNeedsTime()));
    if ('question' in booking) return only(reply(booking.question));
    const expiresAtMs = booking.startsAtMs + settings.roomTtlSeconds * 1000;
    await state.rooms.reschedule(room.id, booking.startsAtMs, expiresAtMs, nowMs);
    moved = { ...room, startsAtMs: booking.startsAtMs, expiresAtMs };
  } else {
    await state.rooms.cancel(room.id, nowMs);
  }

  // The invitee, in their own language and zone, when WhatsApp lets the bot write to them.
  const invitee = room.seats[1].waId;
  const person = invitee === undefined ? undefined : await state.people.get(invitee, settings.line);
  const theirLanguage = person?.language ?? languageForWaId(invitee, settings.language);
  const theirTexts = bookingTexts(theirLanguage);
  const theirTime = bookedTimeFor(moved, { waId: invitee, language: theirLanguage }, settings.timeZone) ?? '';
  const inviter = personLabel(room.seats[0].name, replyTo);
  const canTell = invitee !== undefined && isWindowOpen(person?.lastInboundAtMs, nowMs);
  const notice: OutgoingMessage[] =
    invitee === undefined || !canTell
      ? []
      : [
          {
            id: change.kind === 'cancel' ? `${room.id}:cancelled` : `${room.id}:moved:${moved.startsAtMs}`,
            kind: 'reply',
            line: settings.line,
            to: invitee,
            roomId: room.id,
            content: textContent(
              change.kind === 'cancel'
                ? theirTexts.cancelledForInvitee(inviter, theirTime)
                : theirTexts.rescheduledForInvitee(inviter, theirTime),
            ),
          },
        ];
  const done =
    change.kind === 'cancel'
      ? texts.cancelledByYou(inviteeLabel(room), inviterTime(room))
      : texts.rescheduledByYou(inviteeLabel(room), inviterTime(moved));
  const answer = reply(canTell ? done : `${done}\n\n${texts.couldNotTell(inviteeLabel(room))}`);
  if (change.kind === 'reschedule') {
    const { startsAtMs, expiresAtMs } = moved as Room & { startsAtMs: number };
    const cause = `${room.id}:moved:${startsAtMs}`;
    const previousStartsAt = new Date(room.startsAtMs as number).toISOString();
    const events =
      settings.events?.messages(cause, 'call.rescheduled', moved, { previousStartsAt }, nowMs) ?? [];
    return {
      rooms: [],
      messages: [answer, ...notice, ...events],
      // The dashboard's record of the call lives as long as its links do.
      history: [
        {
          id: `${room.id}:moved:${startsAtMs}`,
          roomId: room.id,
          atMs: nowMs,
          change: { kind: 'moved', startsAtMs, expiresAtMs },
        },
      ],
      inbound,
    };
  }
  const cancelled = { ...room, cancelledAtMs: nowMs };
  return {
    rooms: [],
    messages: [
      answer,
      ...notice,
      ...(settings.events?.messages(`${room.id}:cancelled`, 'call.cancelled', cancelled, {}, nowMs) ?? []),
    ],
    history: [{ id: `${room.id}:cancelled`, roomId: room.id, atMs: nowMs, change: { kind: 'cancelled' } }],
    inbound,
  };
}
