import { z } from 'zod';
import type { Environment } from './config-env.js';

// The approved templates a line sends outside people's 24-hour window: the invitation and the reminder of a
// booked call. Declared by the single-number variables, or per line in WHATSAPP_LINES_JSON.

/** An approved template for invitees outside their 24-hour window (Meta: template with a URL button). */
export interface InviteTemplate {
  readonly name: string;
  readonly language: string;
  /** The body parameter that carries the inviter's name: a position ("1") or a named parameter. */
  readonly nameParameter: string;
  /** The URL button whose dynamic suffix carries the room and seat key. */
  readonly buttonIndex: number;
  /** A quick-reply button that declines the invitation, if the template has one. */
  readonly declineButtonIndex: number | undefined;
  /** A voice-call button (Meta: VOICE_CALL) that calls the line and joins the invitee's seat by voice. */
  readonly voiceButtonIndex: number | undefined;
}

/**
 * An approved template that reminds someone outside their 24-hour window of a booked call: the other person's
 * name ({{1}}) and the time ({{2}}) in the body, and a URL button PUBLIC_BASE_URL/room/{{1}} like the
 * invitation's.
 */
export interface ReminderTemplate {
  readonly name: string;
  readonly language: string;
  readonly buttonIndex: number;
}

/** A template's name and its language code as approved in Meta. */
const templateNaming = {
  name: z.string().trim().min(1),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must look like es or es_CO')
    .optional(),
};

export const templateSchema = z.strictObject({
  ...templateNaming,
  nameParameter: z.string().trim().regex(/^\w+$/).optional(),
  buttonIndex: z.number().int().min(0).max(9).optional(),
  declineButtonIndex: z.number().int().min(0).max(9).optional(),
  voiceButtonIndex: z.number().int().min(0).max(9).optional(),
});

export const reminderTemplateSchema = z.strictObject({
  ...templateNaming,
  buttonIndex: z.number().int().min(0).max(9).optional(),
});

/** The template the single-number variables describe, if any. */
export function defaultInviteTemplate(e: Environment): InviteTemplate | undefined {
  return e.WHATSAPP_INVITE_TEMPLATE === undefined
    ? undefined
    : {
        name: e.WHATSAPP_INVITE_TEMPLATE,
        language: e.WHATSAPP_INVITE_TEMPLATE_LANGUAGE,
        nameParameter: e.WHATSAPP_INVITE_TEMPLATE_NAME_PARAMETER,
        buttonIndex: e.WHATSAPP_INVITE_TEMPLATE_BUTTON_INDEX,
        declineButtonIndex: e.WHATSAPP_INVITE_TEMPLATE_DECLINE_BUTTON_INDEX,
        voiceButtonIndex: e.WHATSAPP_INVITE_TEMPLATE_VOICE_BUTTON_INDEX,
      };
}

/** The reminder template the single-number variables describe, if any. */
export function defaultReminderTemplate(e: Environment): ReminderTemplate | undefined {
  return e.WHATSAPP_REMINDER_TEMPLATE === undefined
    ? undefined
    : { name: e.WHATSAPP_REMINDER_TEMPLATE, language: e.WHATSAPP_REMINDER_TEMPLATE_LANGUAGE, buttonIndex: 0 };
}

/** A line's invitation template: its own (null: none), or the single-number variables' when it names none. */
export function declaredInviteTemplate(
  template: z.infer<typeof templateSchema> | null | undefined,
  fallback: InviteTemplate | undefined,
  e: Environment,
): InviteTemplate | undefined {
  if (template === null) return undefined;
  if (template === undefined) return fallback;
  return {
    name: template.name,
    language: template.language ?? e.WHATSAPP_INVITE_TEMPLATE_LANGUAGE,
    nameParameter: template.nameParameter ?? '1',
    buttonIndex: template.buttonIndex ?? 0,
    declineButtonIndex: template.declineButtonIndex,
    voiceButtonIndex: template.voiceButtonIndex,
  };
}

/** A line's reminder template: its own (null: none), or the single-number variables' when it names none. */
export function declaredReminderTemplate(
  template: z.infer<typeof reminderTemplateSchema> | null | undefined,
  fallback: ReminderTemplate | undefined,
  e: Environment,
): ReminderTemplate | undefined {
  if (template === null) return undefined;
  if (template === undefined) return fallback;
  return {
    name: template.name,
    language: template.language ?? e.WHATSAPP_REMINDER_TEMPLATE_LANGUAGE,
    buttonIndex: template.buttonIndex ?? 0,
  };
}
