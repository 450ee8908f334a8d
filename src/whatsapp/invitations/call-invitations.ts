import type { CountryCode } from 'libphonenumber-js';
import type { InvitationLimits, InviteTemplate } from '../../config.js';
import { createCall } from '../../calls/create-call.js';
import type { MessageEffects } from '../../calls/message-ledger.js';
import type { RoomStore } from '../../rooms/room-store.js';
import { DECLINE_PAYLOAD_PREFIX, parseCommand } from './commands.js';
import { inviteTemplateContent, linkButtonContent, textContent } from './message-content.js';
import { forwardShortLink } from './forward-link.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import { isWindowOpen, type PeopleStore } from './people.js';
import { languageForWaId, personLabel, textsFor } from './texts.js';
import { joinByVoiceLine, templateVoiceButton } from './voice-line.js';
import type { ReceivedMessage } from './inbound-message.js';
import type { Language } from '../../protocol/language.js';
import { isUserId } from '../../phone-number.js';
import { planDecline } from './decline.js';
import type { CallEventRows } from '../../calls/call-events-port.js';
import { bookingTexts } from '../../scheduling/booking-texts.js';
import type { LineTimeZone } from '../../scheduling/time-zones.js';
import { planBookedChange } from './booked-changes.js';
import { bookedInviterNote, bookedTimeFor, readBooking } from './booking.js';
import { answering, type ReplyPlan } from './reply-plan.js';

export { commitReply, type CommittedReply, type ReplyPlan } from './reply-plan.js';

/** What planning a reply needs to know about the deployment and the line the message reached. */
export interface InvitationSettings {
  /** The line (business number) the person wrote to: replies leave from it, windows and limits are its own. */
  readonly line: string;
  /** For people whose number says nothing of their language. */
  readonly language?: Language | undefined;
  /** Call events (a declined call), for the systems that follow calls. */
  readonly events?: CallEventRows | undefined;
  readonly publicBaseUrl: string;
  readonly roomTtlSeconds: number;
  readonly defaultCountry: CountryCode | undefined;
  readonly inviteTemplate: InviteTemplate | undefined;
  readonly limits: InvitationLimits;
  /**
   * With WhatsApp voice calls bridged (WHATSAPP_CALLING), the line's number as wa.me/call takes it: the
   * invitation also offers joining by voice.
   */
  readonly voiceCallNumber?: string | undefined;
  /** The line's zone: booked times are read in it for numbers that tell no zone of their own, or for everyone. */
  readonly timeZone?: LineTimeZone | undefined;
}

/** The state planning reads: when people last wrote, and the rooms they asked for. */
export interface InvitationState {
  readonly people: PeopleStore;
  readonly rooms: RoomStore;
}

/** When the person wrote, by Meta's timestamp (seconds), or now when it has none. */
function sentAtMs(timestamp: string | undefined, nowMs: number): number {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, nowMs) : nowMs;
}

/**
 * Decides everything the bot does about one incoming message: the room it creates, if any, and the messages
 * it sends. Nothing is written or sent here; MessageLedger.commit makes it happen exactly once.
 *
 * The invitee gets a message only inside their 24-hour window (a button that opens the call) or, outside it,
 * through the approved template when one is configured; never free-form outside the window. Whenever the
 * invitee is not messaged, the inviter gets a link that forwards the invitation from their own chat (wa.me).
 */
export async function planReply(
  received: ReceivedMessage,
  settings: InvitationSettings,
  state: InvitationState,
  nowMs: number,
): Promise<ReplyPlan> {
  const plan = await planFor(received, settings, state, nowMs);
  const { message } = received;
  return answering(plan, message.id, message.from ?? message.from_user_id);
}

async function planFor(
  received: ReceivedMessage,
  settings: InvitationSettings,
  state: InvitationState,
  nowMs: number,
): Promise<ReplyPlan> {
  const { message, senderName } = received;
  // People who use a WhatsApp username have no number; the Cloud API reaches them by their user id.
  const replyTo = message.from ?? message.from_user_id;
  if (replyTo === undefined) return { rooms: [], messages: [] };
  const { line } = settings;
  // A person is kept under their user id when Meta gives one; with their number beside it, the two are linked.
  const inbound = {
    person: message.from_user_id ?? replyTo,
    ...(message.from_user_id !== undefined && message.from !== undefined && { number: message.from }),
    line,
    atMs: sentAtMs(message.timestamp, nowMs),
  };

  const { command, language: commandLanguage } = parseCommand(message, settings);
  // A language the person chose wins; then the words they used; then their number.
  const chosen =
    command.kind === 'set-language' ? command.language : (await state.people.get(replyTo, line))?.language;
  const language = chosen ?? commandLanguage ?? languageForWaId(replyTo, settings.language);
  const texts = textsFor(language);
  const reply = (body: string): MessageEffects => ({
    rooms: [],
    messages: [{ id: `${message.id}:reply`, kind: 'reply', line, to: replyTo, content: textContent(body) }],
    inbound,
  });

  switch (command.kind) {
    case 'ignore':
      return { rooms: [], messages: [], inbound };
    case 'help':
      return reply(texts.help());
    case 'missing-number':
      return reply(texts.missingNumber());
    case 'invalid-number':
      return reply(texts.invalidNumber(command.input, command.international));
    case 'ambiguous-number':
      return reply(texts.ambiguousNumber());
    case 'self-invite':
      return reply(texts.selfInvite());
    case 'contact-without-number':
      return reply(texts.contactWithoutNumber());
    case 'set-language':
      return { ...reply(texts.languageSet()), inbound: { ...inbound, language: command.language } };
    case 'decline':
      return planDecline(
        { messageId: message.id, replyTo, senderName, roomId: command.roomId, texts, inbound, settings },
        state,
        nowMs,
      );
    case 'cancel':
    case 'reschedule': {
      const request = { messageId: message.id, replyTo, language, inbound, settings };
      const changed = await planBookedChange(command, request, state, nowMs);
      if (changed !== undefined) return changed;
      // No booked call of theirs: "cancelar" from an invitee declines their invitation.
      const declineRequest = { messageId: message.id, replyTo, senderName, roomId: undefined };
      return planDecline({ ...declineRequest, texts, inbound, settings }, state, nowMs);
    }
    case 'invite':
      break;
  }

  const { invitee, inviteeName } = command;
  const booking =
    command.whenText === undefined
      ? undefined
      : readBooking(command.whenText, { waId: replyTo, language }, settings.timeZone, nowMs);
  if (booking !== undefined && 'question' in booking) return reply(booking.question);
  const inviteeLabel = personLabel(inviteeName, invitee);
  const { limits } = settings;
  if (limits.allowedSenders !== undefined && !limits.allowedSenders.includes(message.from ?? '')) {
    return reply(texts.senderNotAllowed());
  }
  // Calls the person asked for under their other identity count against their limits too.
  // A username's number, if a message ever showed both (Meta sends the user id with every number, so only a
  // message without a number needs the lookup).
  const linked = message.from === undefined ? await state.people.linked(replyTo, line) : undefined;
  const call = createCall({
    host: {
      waId: replyTo,
      name: senderName,
      aliases: [message.from, message.from_user_id, linked].filter((id) => id !== undefined),
    },
    guest: { waId: invitee, name: inviteeName },
    line,
    ttlSeconds: settings.roomTtlSeconds,
    publicBaseUrl: settings.publicBaseUrl,
    limits: { perCreatorPerHour: limits.perSenderPerHour, pairCooldownSeconds: limits.pairCooldownSeconds },
    nowMs,
    startsAtMs: booking?.startsAtMs,
  });
  // A booked call keeps its links for the reminders that carry them.
  const room = booking === undefined ? call.room : { ...call.room, links: call.links };
  const [inviterLink, inviteeLink] = call.links;
  const inviterLabel = personLabel(senderName, replyTo);
  const inviteePerson = await state.people.get(invitee, line);
  const inviteeTexts = textsFor(inviteePerson?.language ?? languageForWaId(invitee, settings.language));
  const forwardUrl = forwardShortLink(settings.publicBaseUrl, room.id, call.guestSeatKey);

  let invitation: OutgoingMessage | undefined;
  const invitationBase = {
    id: `${message.id}:invitee`,
    kind: 'invitation',
    line,
    to: invitee,
    roomId: room.id,
    context: { inviter: replyTo, inviterLanguage: language, inviteeLabel, forwardUrl },
  } as const;
  if (isWindowOpen(inviteePerson?.lastInboundAtMs, nowMs)) {
    // Joining by voice rides in the same message as the link: one invitation, two ways in (an interactive
    // message has one kind of button, so a voice_call button would be a second message).
    const byVoice = joinByVoiceLine(inviteeTexts, settings.voiceCallNumber, room);
    const theirLanguage = inviteePerson?.language ?? languageForWaId(invitee, settings.language);
    const theirTime = bookedTimeFor(room, { waId: invitee, language: theirLanguage }, settings.timeZone);
    const booked = bookingTexts(theirLanguage);
    invitation = {
      ...invitationBase,
      content: linkButtonContent({
        header: inviteeTexts.callHeader(),
        body:
          (theirTime === undefined
            ? inviteeTexts.invitationBody(inviterLabel)
            : booked.bookedInvitationBody(inviterLabel, theirTime)) + byVoice,
        buttonText: inviteeTexts.joinButton(),
        url: inviteeLink,
        fallbackText:
          (theirTime === undefined
            ? inviteeTexts.invitation(inviterLabel, inviteeLink)
            : booked.bookedInvitation(inviterLabel, theirTime, inviteeLink)) + byVoice,
      }),
    };
  } else if (settings.inviteTemplate !== undefined) {
    // The template's button URL is PUBLIC_BASE_URL/room/{{1}}; the page moves ?k= into the fragment.
    const suffix = `${room.id}?k=${call.guestSeatKey}`;
    invitation = {
      ...invitationBase,
      content: inviteTemplateContent(
        settings.inviteTemplate,
        inviterLabel,
        suffix,
        `${DECLINE_PAYLOAD_PREFIX}${room.id}`,
        templateVoiceButton(settings.voiceCallNumber, room, nowMs),
      ),
    };
  }

  // The inviter's own link in one message; when the invitee can't be messaged, what to forward in another, so
  // that the link to keep and the link to pass on never share a bubble.
  const inviterTime = bookedTimeFor(room, { waId: replyTo, language }, settings.timeZone);
  const readyText =
    inviterTime === undefined
      ? texts.callReady(inviteeLabel)
      : bookingTexts(language).bookedReady(inviteeLabel, inviterTime);
  const ready = invitation === undefined ? readyText : `${readyText} ${texts.invitationSent(inviteeLabel)}`;
  const note = bookedInviterNote(room, language, settings.publicBaseUrl);
  const inviterMessage: OutgoingMessage = {
    id: `${message.id}:inviter`,
    kind: 'inviter-link',
    line,
    to: replyTo,
    roomId: room.id,
    content: linkButtonContent({
      header: texts.callHeader(),
      body: `${ready}\n\n${texts.linkIsPrivate()}${note}`,
      buttonText: texts.joinButton(),
      url: inviterLink,
      fallbackText: `${ready}\n\n${texts.yourLink(inviterLink)}${note}`,
    }),
  };
  const forwardMessage: OutgoingMessage = {
    id: `${message.id}:forward`,
    kind: 'reply',
    line,
    to: replyTo,
    roomId: room.id,
    // wa.me opens a chat by number only: for someone known by their user id, the link itself to pass on.
    content: isUserId(invitee)
      ? textContent(`${texts.passOnExplained(inviteeLabel)}\n${inviteeLink}`)
      : linkButtonContent({
          header: texts.forwardHeader(),
          body: texts.forwardExplained(inviteeLabel),
          buttonText: texts.forwardButton(),
          url: forwardUrl,
          fallbackText: `${texts.forwardExplained(inviteeLabel)}\n${forwardUrl}`,
        }),
  };
  const effects = {
    rooms: [room],
    messages: invitation ? [inviterMessage, invitation] : [inviterMessage, forwardMessage],
    inbound,
  };
  if (call.guard === undefined) return effects;
  // The limits are checked as the call is written (MessageLedger.commitCall); these are the answers if not.
  return {
    guard: call.guard,
    effects,
    refusals: {
      'too-many': reply(texts.tooManyInvites(limits.perSenderPerHour)),
      'pair-cooldown': reply(texts.pairCooldown(inviteeLabel)),
    },
  };
}
