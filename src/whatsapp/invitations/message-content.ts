import type { InviteTemplate } from '../../config.js';
import { oneLine, wellFormed } from '../../text-from-people.js';
import type { MessageContent } from '../outbox/outbox.js';

/** A plain text message; WhatsApp shows a preview of the first link in it. */
export function textContent(body: string): MessageContent {
  return { type: 'text', text: { body, preview_url: true } };
}

/**
 * An interactive message with one "open URL" button (only inside the 24-hour window). WhatsApp takes only
 * https URLs there; for any other (a local sandbox) it falls back to text with the link.
 */
export function linkButtonContent(options: {
  header: string;
  body: string;
  buttonText: string;
  url: string;
  fallbackText: string;
}): MessageContent {
  if (!options.url.startsWith('https://')) return textContent(options.fallbackText);
  return {
    type: 'interactive',
    interactive: {
      type: 'cta_url',
      header: { type: 'text', text: options.header.slice(0, 60) },
      body: { text: options.body.slice(0, 1024) },
      action: {
        name: 'cta_url',
        parameters: { display_text: options.buttonText.slice(0, 20), url: options.url },
      },
    },
  };
}

/** A template message: its name and language as approved, and the components that fill it in. */
export function templateContent(
  template: { readonly name: string; readonly language: string },
  components: readonly Record<string, unknown>[],
): MessageContent {
  return {
    type: 'template',
    template: { name: template.name, language: { code: template.language }, components },
  };
}

/** A template's URL button, its dynamic suffix filled in (PUBLIC_BASE_URL/room/{{1}} takes `room?k=key`). */
export function templateUrlButton(index: number, suffix: string): Record<string, unknown> {
  return {
    type: 'button',
    sub_type: 'url',
    index: String(index),
    parameters: [{ type: 'text', text: suffix }],
  };
}

/** What a template's voice-call button carries: the seat's payload and how long the button works. */
export interface TemplateVoiceButton {
  readonly payload: string;
  readonly ttlMinutes: number;
}

/**
 * The approved invitation template: the inviter's name in the body, the link's suffix in the URL button, and,
 * when the template has them, the payload of its "can't make it" quick-reply button and its voice-call button's
 * payload and lifetime.
 */
export function inviteTemplateContent(
  template: InviteTemplate,
  inviterName: string,
  urlSuffix: string,
  declinePayload: string,
  voice?: TemplateVoiceButton,
): MessageContent {
  // WhatsApp refuses a parameter with a newline, a tab or a run of spaces.
  const name = oneLine(inviterName, 60);
  const nameParameter = /^\d+$/.test(template.nameParameter)
    ? { type: 'text', text: name }
    : { type: 'text', parameter_name: template.nameParameter, text: name };
  return templateContent(template, [
    { type: 'body', parameters: [nameParameter] },
    templateUrlButton(template.buttonIndex, urlSuffix),
    ...(template.declineButtonIndex === undefined
      ? []
      : [
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: String(template.declineButtonIndex),
            parameters: [{ type: 'payload', payload: declinePayload }],
          },
        ]),
    ...(template.voiceButtonIndex === undefined || voice === undefined
      ? []
      : [
          {
            type: 'button',
            sub_type: 'voice_call',
            index: String(template.voiceButtonIndex),
            parameters: [
              { type: 'ttl_minutes', ttl_minutes: voice.ttlMinutes },
              { type: 'payload', payload: voice.payload },
            ],
          },
        ]),
  ]);
}

/** A wa.me link that opens the sender's own chat with `to`, `text` already written. */
export function forwardLink(to: string, text: string): string {
  return `https://wa.me/${encodeURIComponent(wellFormed(to))}?text=${encodeURIComponent(wellFormed(text))}`;
}
