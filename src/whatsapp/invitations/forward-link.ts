import { roomLink, type Room } from '../../rooms/room.js';
import type { Language } from '../../protocol/language.js';
import { forwardLink } from './message-content.js';
import { personLabel, textsFor } from './texts.js';
import { joinByVoiceLine } from './voice-line.js';
import { bookedTimeFor } from './booking.js';
import { bookingTexts } from '../../scheduling/booking-texts.js';

// When the bot may not write to the invitee, the inviter forwards the invitation from their own chat through a
// wa.me link. That link holds the whole invitation, URL-encoded: hundreds of characters that read as noise in
// a chat. The inviter gets a short link on our own domain instead, which redirects to it; the seat key in it is
// the one the inviter is meant to pass on, and the store keeps only its hash, so the link carries it.

/** `PUBLIC_BASE_URL/i/<room>?k=<invitee's seat key>`: what the inviter taps to forward the invitation. */
export function forwardShortLink(publicBaseUrl: string, roomId: string, guestSeatKey: string): string {
  return `${publicBaseUrl}/i/${roomId}?k=${guestSeatKey}`;
}

/** The invitation as the inviter forwards it: to whom, the text in the invitee's language, and the wa.me link. */
export interface ForwardedInvitation {
  readonly to: string;
  readonly text: string;
  readonly waMeUrl: string;
}

/** A number-like id as the invitee may see it; a username's user id is not shown. */
function shownNumber(waId: string | undefined): string | undefined {
  return waId !== undefined && /^\d+$/.test(waId) ? waId : undefined;
}

/**
 * The invitation to forward for a room whose invitee is a WhatsApp number, or undefined when there is none
 * (nobody to open a chat with).
 */
export function forwardedInvitation(request: {
  readonly room: Room;
  readonly guestSeatKey: string;
  readonly publicBaseUrl: string;
  readonly inviteeLanguage: Language;
  /** With WhatsApp voice calls bridged, the number the invitation offers to call (wa.me/call). */
  readonly voiceCallNumber?: string | undefined;
}): ForwardedInvitation | undefined {
  const [host, guest] = request.room.seats;
  const to = shownNumber(guest.waId);
  if (to === undefined) return undefined;
  const inviterLabel = personLabel(host.name, shownNumber(host.waId));
  const link = roomLink(request.publicBaseUrl, request.room.id, request.guestSeatKey);
  const texts = textsFor(request.inviteeLanguage);
  const byVoice = joinByVoiceLine(texts, request.voiceCallNumber, request.room);
  // A booked call's invitation says when, in the invitee's zone (their country's; the line's is not known here).
  const time = bookedTimeFor(
    request.room,
    { waId: guest.waId, language: request.inviteeLanguage },
    undefined,
  );
  const text =
    (time === undefined
      ? texts.invitation(inviterLabel, link)
      : bookingTexts(request.inviteeLanguage).bookedInvitation(inviterLabel, time, link)) + byVoice;
  return { to, text, waMeUrl: forwardLink(to, text) };
}
