import type { Line } from '../config-lines.js';
import { createCall } from '../calls/create-call.js';
import type { MessageEffects } from '../calls/message-ledger.js';
import { AppError } from '../errors.js';
import { isUserId, parsePhoneNumber } from '../phone-number.js';
import type { Room } from '../rooms/room.js';
import { DECLINE_PAYLOAD_PREFIX } from '../whatsapp/invitations/commands.js';
import { forwardedInvitation } from '../whatsapp/invitations/forward-link.js';
import { inviteTemplateContent, linkButtonContent } from '../whatsapp/invitations/message-content.js';
import { joinByVoiceLine, templateVoiceButton } from '../whatsapp/invitations/voice-line.js';
import { isWindowOpen, type PeopleStore } from '../whatsapp/invitations/people.js';
import { languageForWaId, personLabel, textsFor } from '../whatsapp/invitations/texts.js';
import { bookedTimeFor } from '../whatsapp/invitations/booking.js';
import { bookingTexts } from '../scheduling/booking-texts.js';
import { MAX_DAYS_AHEAD } from '../scheduling/when.js';
import type { OutgoingMessage } from '../whatsapp/outbox/outbox.js';
import type { CreateCallBody, CreatedCall } from './api-schemas.js';
import { callView } from './call-view.js';

// A call asked for through the REST API: the same room and links as one asked for on WhatsApp, and the same
// rules for messages (free-form only inside a person's 24-hour window, the line's template outside it), but
// the caller is a system, not a person in a chat: what could not be sent is said in the answer.

/** The outbox id of the message that invites one side of an API call. */
export function invitationId(roomId: string, side: 'host' | 'guest'): string {
  return `api:${roomId}:${side}`;
}

/** A person as the API names them: the WhatsApp id (number or user id) the bot can write to. */
function whatsappIdOf(
  person: { phone?: string | undefined; userId?: string | undefined },
  line: Line,
  field: string,
): string | undefined {
  if (person.phone !== undefined) {
    const number = parsePhoneNumber(person.phone, line.defaultCountry);
    if (number === undefined) {
      throw new AppError('API_REQUEST_INVALID', `${field}.phone: "${person.phone}" is not a phone number.`);
    }
    return number;
  }
  return person.userId !== undefined && isUserId(person.userId) ? person.userId : undefined;
}

/** What planning an API call needs. */
export interface ApiCallSettings {
  readonly publicBaseUrl: string;
  readonly roomTtlSeconds: number;
  /** With WhatsApp voice calls bridged, the number a line's invitations offer to call (wa.me/call). */
  readonly voiceCallNumber?: ((line: Line) => string | undefined) | undefined;
}

/** A new call, what to write for it, and the answer (with the links, which exist only here). */
export interface PlannedApiCall {
  readonly effects: MessageEffects;
  readonly answer: CreatedCall;
}

/**
 * Plans a call: its room on `line`, the messages that invite whoever asked to be invited (when WhatsApp allows
 * it), and the answer. Nothing is written here.
 */
export async function planApiCall(
  body: CreateCallBody,
  context: { line: Line; keyId: string; people: PeopleStore; settings: ApiCallSettings; nowMs: number },
): Promise<PlannedApiCall> {
  const { line, nowMs, settings } = context;
  const startsAtMs = bookedStart(body.startsAt, nowMs);
  const hostId = whatsappIdOf(body.host, line, 'host');
  const guestId = whatsappIdOf(body.guest, line, 'guest');
  const call = createCall({
    host: { waId: hostId, name: body.host.name },
    guest: { waId: guestId, name: body.guest.name },
    line: line.id,
    ttlSeconds: body.expiresIn ?? settings.roomTtlSeconds,
    publicBaseUrl: settings.publicBaseUrl,
    limits: { perCreatorPerHour: Number.MAX_SAFE_INTEGER, pairCooldownSeconds: 0 },
    nowMs,
    startsAtMs,
  });
  const created: Room = {
    ...call.room,
    apiKeyId: context.keyId,
    metadata: body.metadata,
    // A booked call keeps its links for the reminders that carry them.
    ...(startsAtMs !== undefined && { links: call.links }),
  };
  let room = created;
  const [hostLink, guestLink] = call.links;
  const hostLabel = personLabel(body.host.name, undefined);
  const messages: OutgoingMessage[] = [];
  const notSent: Partial<Record<'host' | 'guest', { reason: string; forwardLink?: string }>> = {};
  const via: Partial<Record<'host' | 'guest', 'window' | 'template'>> = {};

  const voiceCallNumber = settings.voiceCallNumber?.(line);
  const byVoice = (texts: ReturnType<typeof textsFor>) => joinByVoiceLine(texts, voiceCallNumber, created);
  const invite = async (side: 'host' | 'guest', to: string | undefined, link: string) => {
    if (to === undefined) {
      notSent[side] = { reason: 'no_whatsapp_identity' };
      return;
    }
    const person = await context.people.get(to, line.id);
    const language = person?.language ?? languageForWaId(to, line.language);
    const texts = textsFor(language);
    const time = bookedTimeFor(created, { waId: to, language }, line.timeZone);
    const booked = bookingTexts(language);
    const base = {
      id: invitationId(created.id, side),
      kind: 'invitation',
      line: line.id,
      to,
      roomId: created.id,
    } as const;
    if (isWindowOpen(person?.lastInboundAtMs, nowMs)) {
      const otherName = side === 'guest' ? hostLabel : personLabel(body.guest.name, guestId);
      messages.push({
        ...base,
        content: linkButtonContent({
          header: texts.callHeader(),
          body:
            side === 'guest'
              ? (time === undefined
                  ? texts.invitationBody(otherName)
                  : booked.bookedInvitationBody(otherName, time)) + byVoice(texts)
              : time === undefined
                ? texts.callReady(otherName)
                : booked.bookedReady(otherName, time),
          buttonText: texts.joinButton(),
          url: link,
          fallbackText:
            side === 'guest'
              ? (time === undefined
                  ? texts.invitation(otherName, link)
                  : booked.bookedInvitation(otherName, time, link)) + byVoice(texts)
              : `${time === undefined ? '' : `${booked.bookedReady(otherName, time)}\n\n`}${texts.yourLink(link)}`,
        }),
      });
      via[side] = 'window';
    } else if (side === 'guest' && line.inviteTemplate !== undefined) {
      messages.push({
        ...base,
        content: inviteTemplateContent(
          line.inviteTemplate,
          hostLabel,
          `${created.id}?k=${call.guestSeatKey}`,
          `${DECLINE_PAYLOAD_PREFIX}${created.id}`,
          templateVoiceButton(voiceCallNumber, created, nowMs),
        ),
      });
      via[side] = 'template';
    } else {
      // Never free-form outside the window: the caller gets a link that opens a chat with the invitation.
      const forward =
        side === 'guest'
          ? forwardedInvitation({
              room: created,
              guestSeatKey: call.guestSeatKey,
              publicBaseUrl: settings.publicBaseUrl,
              inviteeLanguage: person?.language ?? languageForWaId(to, line.language),
              voiceCallNumber,
            })
          : undefined;
      notSent[side] = { reason: 'outside_window', ...(forward && { forwardLink: forward.waMeUrl }) };
    }
  };
  if (body.host.invite === true) await invite('host', hostId, hostLink);
  if (body.guest.invite !== false) await invite('guest', guestId, guestLink);
  // Kept for later answers (without the forward link, which holds the guest's seat key).
  if (notSent.host !== undefined || notSent.guest !== undefined) {
    room = {
      ...created,
      notSent: {
        ...(notSent.host && { host: notSent.host.reason }),
        ...(notSent.guest && { guest: notSent.guest.reason }),
      },
    };
  }

  const view = callView(room, {
    nowMs,
    invitation: (side) => {
      const requested = side === 'host' ? body.host.invite === true : body.guest.invite !== false;
      if (!requested) return { state: 'not_requested' };
      const reason = notSent[side];
      if (reason !== undefined) return { state: 'not_sent', ...reason };
      return { state: 'queued', via: via[side] };
    },
  });
  return {
    effects: { rooms: [room], messages },
    answer: { ...view, links: { host: hostLink, guest: guestLink } },
  };
}

/** A booked call's start from the API's `startsAt`: not past, at most MAX_DAYS_AHEAD days ahead. */
export function bookedStart(startsAt: string | undefined, nowMs: number): number | undefined {
  if (startsAt === undefined) return undefined;
  const atMs = Date.parse(startsAt);
  if (atMs < nowMs - 60_000) throw new AppError('API_REQUEST_INVALID', 'startsAt: is in the past.');
  if (atMs > nowMs + MAX_DAYS_AHEAD * 86_400_000)
    throw new AppError('API_REQUEST_INVALID', `startsAt: is more than ${MAX_DAYS_AHEAD} days ahead.`);
  return atMs;
}
