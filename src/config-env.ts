import { getCountries } from 'libphonenumber-js';
import { z } from 'zod';

// The environment variables, as zod reads them: every one the service knows, with its default and its check.
// config.ts turns the result into the frozen Config.

/** A STUN/TURN server as the browser's RTCIceServer expects it. */
export const iceServerSchema = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

const DEFAULT_ICE_SERVERS: IceServer[] = [{ urls: 'stun:stun.l.google.com:19302' }];
const COUNTRIES = new Set<string>(getCountries());
const DURATION_UNITS_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** "86400", "90s", "30m", "24h" or "7d" → seconds, at least `minSeconds`. */
export function durationSeconds(minSeconds: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+\s*[smhd]?$/, 'must be seconds or a number with s, m, h or d (e.g. 24h)')
    .transform((value) => {
      const unit = value.at(-1) as string;
      const factor = unit in DURATION_UNITS_SECONDS ? DURATION_UNITS_SECONDS[unit as 's'] : 1;
      return Number.parseInt(value, 10) * factor;
    })
    .refine((seconds) => seconds >= minSeconds, `must be at least ${minSeconds} seconds`);
}

/** An ISO 3166 country code, upper-cased. */
export const countryCodeSchema = z
  .string()
  .toUpperCase()
  .refine((code) => COUNTRIES.has(code), 'must be an ISO 3166 country code such as CO');

/** Whether the runtime knows `zone` (an IANA name such as America/Bogota). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isTimeZone, 'must be an IANA time zone such as America/Bogota');

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  TRUST_PROXY: optionalText,
  PUBLIC_BASE_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://call.example.com' })
      .optional(),
  ),
  WHATSAPP_TOKEN: optionalText,
  WABA_PHONE_NUMBER_ID: optionalText.pipe(z.string().regex(/^\d+$/, 'must be the numeric id').optional()),
  VERIFY_TOKEN: optionalText,
  APP_SECRET: optionalText,
  GRAPH_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v25.0')
    .default('v25.0'),
  ICE_SERVERS_JSON: optionalText,
  TURN_SECRET: optionalText,
  TURN_URLS: optionalText,
  TURN_TTL: durationSeconds(60).default(6 * 3600),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: optionalText.pipe(
    z
      .url({
        protocol: /^postgres(ql)?$/,
        error: 'must be a postgres:// URL: postgres://user:password@host:port/db',
      })
      .optional(),
  ),
  REDIS_URL: optionalText.pipe(
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL: redis://host:port' }).optional(),
  ),
  ROOM_TTL: durationSeconds(60).default(24 * 3600),
  DEFAULT_COUNTRY: optionalText.pipe(countryCodeSchema.optional()),
  TIME_ZONE: optionalText.pipe(timeZoneSchema.optional()),
  /** true: everyone on the line is read in TIME_ZONE, whatever their number's country. */
  TIME_ZONE_FOR_EVERYONE: z.enum(['true', 'false']).default('false'),
  /** How long someone waits alone in a call before the other person is told (inside their window). */
  NUDGE_AFTER: durationSeconds(0).default(60),
  /** How long before a booked call both people are reminded. */
  REMINDER_BEFORE: durationSeconds(60).default(600),
  WHATSAPP_REMINDER_TEMPLATE: optionalText,
  WHATSAPP_REMINDER_TEMPLATE_LANGUAGE: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must look like es or es_CO')
    .default('es'),
  METRICS_TOKEN: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WHATSAPP_INVITE_TEMPLATE: optionalText,
  WHATSAPP_INVITE_TEMPLATE_LANGUAGE: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must look like es or es_CO')
    .default('es'),
  WHATSAPP_INVITE_TEMPLATE_NAME_PARAMETER: z.string().trim().regex(/^\w+$/).default('1'),
  WHATSAPP_INVITE_TEMPLATE_BUTTON_INDEX: z.coerce.number().int().min(0).max(9).default(0),
  WHATSAPP_INVITE_TEMPLATE_DECLINE_BUTTON_INDEX: optionalText.pipe(
    z.string().regex(/^\d$/, 'must be a button position from 0 to 9').transform(Number).optional(),
  ),
  WHATSAPP_INVITE_TEMPLATE_VOICE_BUTTON_INDEX: optionalText.pipe(
    z.string().regex(/^\d$/, 'must be a button position from 0 to 9').transform(Number).optional(),
  ),
  WHATSAPP_MAX_SENDS_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
  INVITES_PER_SENDER_PER_HOUR: z.coerce.number().int().min(1).default(10),
  PAIR_COOLDOWN: durationSeconds(0).default(120),
  OUTBOX_CONFIRM_WAIT: durationSeconds(1).default(60),
  ALLOWED_SENDERS: optionalText,
  WHATSAPP_DISPLAY_NUMBER: optionalText,
  EVENT_WEBHOOKS_JSON: optionalText,
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  // How long the dashboard's call history is kept: a year and a bit, so that a year can be compared.
  HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  /** WhatsApp voice calls bridged into rooms (Calling API): off, or answered when people call (inbound). */
  WHATSAPP_CALLING: z.enum(['off', 'inbound']).default('off'),
  /** Addresses the voice bridge's media is reached at, besides its interfaces' (its public address behind NAT). */
  CALL_BRIDGE_ADDRESSES: optionalText,
  /** UDP ports the voice bridge may use, "first-last", for the firewall. */
  CALL_BRIDGE_UDP_PORTS: optionalText.refine(
    (value) => value === undefined || /^\d{1,5}-\d{1,5}$/.test(value),
    'must be "first-last", for example 40000-40999',
  ),
  /** off, or relay: the voice bridge's media goes through the TURN server only (a host without reachable UDP). */
  CALL_BRIDGE_TURN: z.enum(['off', 'relay']).default('off'),
  WHATSAPP_LINES_JSON: optionalText,
  WHATSAPP_LINES_FILE: optionalText,
});

/** Every environment variable the service reads; .env.example documents each one. */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** ICE_SERVERS_JSON as a list of servers; the default when unset; problems are added to `problems`. */
export function parseIceServers(json: string | undefined, problems: string[]): IceServer[] {
  if (json === undefined) return DEFAULT_ICE_SERVERS;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    problems.push('ICE_SERVERS_JSON: is not valid JSON');
    return [];
  }
  const parsed = z.array(iceServerSchema).safeParse(raw);
  if (!parsed.success) {
    problems.push('ICE_SERVERS_JSON: must be a JSON array of {"urls", "username"?, "credential"?}');
    return [];
  }
  return parsed.data;
}

/** The environment as parsed. */
export type Environment = z.infer<typeof envSchema>;
