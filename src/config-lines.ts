import { readFileSync } from 'node:fs';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { countryCodeSchema, durationSeconds, timeZoneSchema, type Environment } from './config-env.js';
import { parsePhoneNumber } from './phone-number.js';
import {
  declaredInviteTemplate,
  declaredReminderTemplate,
  defaultInviteTemplate,
  defaultReminderTemplate,
  reminderTemplateSchema,
  templateSchema,
  type InviteTemplate,
  type ReminderTemplate,
} from './config-templates.js';

export type { InviteTemplate, ReminderTemplate } from './config-templates.js';
import { LANGUAGES, type Language } from './protocol/language.js';

// Lines: the business numbers one deployment serves. The single-number variables (WABA_PHONE_NUMBER_ID,
// WHATSAPP_TOKEN, WHATSAPP_INVITE_TEMPLATE…) describe one line, called "main"; WHATSAPP_LINES_JSON (or a file
// named by WHATSAPP_LINES_FILE) declares several, each field defaulting to its single-number variable.

/** Who may create calls, and how often. */
export interface InvitationLimits {
  readonly perSenderPerHour: number;
  /** The same pair is not invited again within this many seconds. */
  readonly pairCooldownSeconds: number;
  /** When set, only these numbers may create calls. */
  readonly allowedSenders: readonly string[] | undefined;
}

/** A line's time zone, and whether it is everyone's on the line or only for numbers that tell none. */
export interface LineTimeZone {
  readonly zone: string;
  readonly forEveryone: boolean;
}

/** One business number: what it sends with, and the rules for the people who write to it. */
export interface Line {
  /** A short name, in metrics (`line` label), logs and the stored records of what it sent and received. */
  readonly id: string;
  /** Meta's phone number id: webhooks name it in metadata.phone_number_id, sends go to it. */
  readonly phoneNumberId: string;
  /** The Cloud API token it sends with; undefined in the sandbox. */
  readonly token: string | undefined;
  /** The app secret of the Meta app the number belongs to (webhook signatures). */
  readonly appSecret: string | undefined;
  /** How the business calls itself on this line, shown in the sandbox and the start summary. */
  readonly displayName: string | undefined;
  /** The number as people see it (digits), when given: a dead link's page opens its chat. */
  readonly botNumber: string | undefined;
  /** For numbers written without a country code when the sender's own number does not tell. */
  readonly defaultCountry: CountryCode | undefined;
  /** For people whose number says nothing of their language (a country we have no language for). */
  readonly language: Language | undefined;
  /**
   * The zone booked times are read in for people whose country has several (or whose number tells none), as an
   * IANA name (America/Sao_Paulo).
   */
  readonly timeZone: LineTimeZone | undefined;
  readonly inviteTemplate: InviteTemplate | undefined;
  readonly reminderTemplate: ReminderTemplate | undefined;
  /** Meta's throughput limit is per number: 80 sends per second by default. */
  readonly maxSendsPerSecond: number;
  readonly invitationLimits: InvitationLimits;
}

/** The line the single-number variables describe, and the name stored rows from before lines carry. */
export const MAIN_LINE_ID = 'main';
/** The sandbox's made-up phone number id, when no line is declared. */
export const SANDBOX_PHONE_NUMBER_ID = '100000000000001';

const lineSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be up to 32 lowercase letters, digits, - or _ (e.g. norte)'),
  phoneNumberId: z.string().regex(/^\d+$/, 'must be the numeric id'),
  token: z.string().trim().min(1).optional(),
  appSecret: z.string().trim().min(1).optional(),
  displayName: z.string().trim().min(1).max(60).optional(),
  displayNumber: z.string().trim().min(1).optional(),
  defaultCountry: countryCodeSchema.optional(),
  language: z.enum(LANGUAGES).optional(),
  timeZone: timeZoneSchema.optional(),
  timeZoneForEveryone: z.boolean().optional(),
  inviteTemplate: templateSchema.nullable().optional(),
  reminderTemplate: reminderTemplateSchema.nullable().optional(),
  maxSendsPerSecond: z.number().positive().max(1000).optional(),
  invitesPerSenderPerHour: z.number().int().min(1).optional(),
  pairCooldown: z.union([z.number().int().min(0), durationSeconds(0)]).optional(),
  allowedSenders: z.array(z.string().min(1)).optional(),
});
type LineDeclaration = z.infer<typeof lineSchema>;

/** The declared lines as JSON text, from WHATSAPP_LINES_JSON or the file WHATSAPP_LINES_FILE names. */
function linesSource(e: Environment, problems: string[]): { name: string; text: string } | undefined {
  if (e.WHATSAPP_LINES_JSON !== undefined && e.WHATSAPP_LINES_FILE !== undefined) {
    problems.push('WHATSAPP_LINES_JSON and WHATSAPP_LINES_FILE: set one, not both');
    return undefined;
  }
  if (e.WHATSAPP_LINES_JSON !== undefined)
    return { name: 'WHATSAPP_LINES_JSON', text: e.WHATSAPP_LINES_JSON };
  if (e.WHATSAPP_LINES_FILE === undefined) return undefined;
  try {
    return { name: 'WHATSAPP_LINES_FILE', text: readFileSync(e.WHATSAPP_LINES_FILE, 'utf8') };
  } catch (error) {
    problems.push(`WHATSAPP_LINES_FILE: cannot read ${e.WHATSAPP_LINES_FILE} (${(error as Error).message})`);
    return undefined;
  }
}

/** The declarations, each problem named by its place: `WHATSAPP_LINES_JSON[1].phoneNumberId: …`. */
function readDeclarations(source: { name: string; text: string }, problems: string[]): LineDeclaration[] {
  let raw: unknown;
  try {
    raw = JSON.parse(source.text);
  } catch {
    problems.push(`${source.name}: is not valid JSON`);
    return [];
  }
  const parsed = z.array(lineSchema).min(1, 'must list at least one line').safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`));
      problems.push(`${source.name}${where.join('')}: ${issue.message}`);
    }
    return [];
  }
  const seen = { id: new Set<string>(), phoneNumberId: new Set<string>() };
  parsed.data.forEach((line, index) => {
    for (const field of ['id', 'phoneNumberId'] as const) {
      if (seen[field].has(line[field])) {
        problems.push(`${source.name}[${index}].${field}: "${line[field]}" is declared twice`);
      }
      seen[field].add(line[field]);
    }
  });
  return parsed.data;
}

/** Numbers with their country code, as digits; problems are named with `where`. */
function phoneNumbers(entries: readonly string[], where: string, problems: string[]): string[] {
  return entries.map((entry) => {
    const number = parsePhoneNumber(entry, undefined);
    if (number === undefined)
      problems.push(`${where}: "${entry.trim()}" is not a number with its country code`);
    return number ?? '';
  });
}

/**
 * Every line the deployment serves: the declared ones, each field it leaves out taken from the single-number
 * variables, or else the one line those variables describe. With a token anywhere the deployment talks to the
 * Cloud API, and every line needs a token and an app secret. Problems are added to `problems`.
 */
export function resolveLines(e: Environment, problems: string[]): Line[] {
  const allowed =
    e.ALLOWED_SENDERS === undefined
      ? undefined
      : phoneNumbers(e.ALLOWED_SENDERS.split(','), 'ALLOWED_SENDERS', problems);
  const displayNumber = (value: string | undefined, where: string) => {
    if (value === undefined) return undefined;
    const number = parsePhoneNumber(value, undefined);
    if (number === undefined) problems.push(`${where}: "${value}" is not a number with its country code`);
    return number;
  };
  const fallback = {
    token: e.WHATSAPP_TOKEN,
    appSecret: e.APP_SECRET,
    defaultCountry: e.DEFAULT_COUNTRY as CountryCode | undefined,
    timeZone:
      e.TIME_ZONE === undefined
        ? undefined
        : { zone: e.TIME_ZONE, forEveryone: e.TIME_ZONE_FOR_EVERYONE === 'true' },
    inviteTemplate: defaultInviteTemplate(e),
    reminderTemplate: defaultReminderTemplate(e),
    maxSendsPerSecond: e.WHATSAPP_MAX_SENDS_PER_SECOND,
    invitationLimits: {
      perSenderPerHour: e.INVITES_PER_SENDER_PER_HOUR,
      pairCooldownSeconds: e.PAIR_COOLDOWN,
      allowedSenders: allowed,
    },
  };
  const source = linesSource(e, problems);
  if (source === undefined) {
    const cloud = e.WHATSAPP_TOKEN !== undefined;
    if (cloud && e.WABA_PHONE_NUMBER_ID === undefined) {
      problems.push(
        'WABA_PHONE_NUMBER_ID: is required when WHATSAPP_TOKEN is set (or declare WHATSAPP_LINES_JSON)',
      );
    }
    return [
      {
        ...fallback,
        id: MAIN_LINE_ID,
        phoneNumberId: e.WABA_PHONE_NUMBER_ID ?? SANDBOX_PHONE_NUMBER_ID,
        displayName: undefined,
        botNumber: displayNumber(e.WHATSAPP_DISPLAY_NUMBER, 'WHATSAPP_DISPLAY_NUMBER'),
        language: undefined,
      },
    ];
  }
  if (e.WABA_PHONE_NUMBER_ID !== undefined) {
    problems.push(`WABA_PHONE_NUMBER_ID and ${source.name}: declare the number as a line, not both`);
  }
  const declared = readDeclarations(source, problems);
  const cloud = fallback.token !== undefined || declared.some((line) => line.token !== undefined);
  return declared.map((line, index) => {
    const where = `${source.name}[${index}]`;
    if (line.timeZoneForEveryone === true && line.timeZone === undefined)
      problems.push(`${where}.timeZoneForEveryone: needs timeZone, the zone everyone is read in`);
    const token = line.token ?? fallback.token;
    if (cloud && token === undefined) {
      problems.push(`${where}.token: is required once any line has one (or set WHATSAPP_TOKEN for all)`);
    }
    if (cloud && line.appSecret === undefined && fallback.appSecret === undefined) {
      problems.push(`${where}.appSecret: is required (or set APP_SECRET, the app secret of every line)`);
    }
    return {
      id: line.id,
      phoneNumberId: line.phoneNumberId,
      token,
      appSecret: line.appSecret ?? fallback.appSecret,
      displayName: line.displayName,
      botNumber: displayNumber(line.displayNumber, `${where}.displayNumber`),
      defaultCountry: (line.defaultCountry as CountryCode | undefined) ?? fallback.defaultCountry,
      language: line.language,
      timeZone:
        line.timeZone === undefined
          ? fallback.timeZone
          : { zone: line.timeZone, forEveryone: line.timeZoneForEveryone ?? false },
      inviteTemplate: declaredInviteTemplate(line.inviteTemplate, fallback.inviteTemplate, e),
      reminderTemplate: declaredReminderTemplate(line.reminderTemplate, fallback.reminderTemplate, e),
      maxSendsPerSecond: line.maxSendsPerSecond ?? fallback.maxSendsPerSecond,
      invitationLimits: {
        perSenderPerHour: line.invitesPerSenderPerHour ?? fallback.invitationLimits.perSenderPerHour,
        pairCooldownSeconds: line.pairCooldown ?? fallback.invitationLimits.pairCooldownSeconds,
        allowedSenders:
          line.allowedSenders === undefined
            ? fallback.invitationLimits.allowedSenders
            : phoneNumbers(line.allowedSenders, `${where}.allowedSenders`, problems),
      },
    };
  });
}
