import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { parsePhoneNumber } from './phone-number.js';

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

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** "86400", "90s", "30m", "24h" or "7d" → seconds, at least `minSeconds`. */
function durationSeconds(minSeconds: number) {
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

const envSchema = z.object({
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
  ROOM_TTL: durationSeconds(60).default(24 * 3600),
  DEFAULT_COUNTRY: optionalText.pipe(
    z
      .string()
      .toUpperCase()
      .refine((code) => COUNTRIES.has(code), 'must be an ISO 3166 country code such as CO')
      .optional(),
  ),
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
  WHATSAPP_MAX_SENDS_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
  INVITES_PER_SENDER_PER_HOUR: z.coerce.number().int().min(1).default(10),
  PAIR_COOLDOWN: durationSeconds(0).default(120),
  OUTBOX_CONFIRM_WAIT: durationSeconds(1).default(60),
  ALLOWED_SENDERS: optionalText,
  WHATSAPP_DISPLAY_NUMBER: optionalText,
});

/** Every environment variable the service reads; .env.example documents each one. */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** How outgoing WhatsApp messages leave the service. */
export type WhatsAppConfig =
  | {
      readonly mode: 'cloud';
      readonly token: string;
      readonly phoneNumberId: string;
      readonly graphApiBaseUrl: string;
      readonly graphApiVersion: string;
    }
  | { readonly mode: 'sandbox' };

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
}

/** Who may create calls, and how often. */
export interface InvitationLimits {
  readonly perSenderPerHour: number;
  /** The same pair is not invited again within this many seconds. */
  readonly pairCooldownSeconds: number;
  /** When set, only these numbers may create calls. */
  readonly allowedSenders: readonly string[] | undefined;
}

/** The whole service configuration, parsed once and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Addresses (IPs or CIDRs) of reverse proxies whose X-Forwarded-* headers are believed; none by default. */
  readonly trustedProxies: readonly string[];
  readonly publicBaseUrl: string;
  readonly whatsapp: WhatsAppConfig;
  readonly webhook: { readonly verifyToken: string; readonly appSecret: string };
  readonly iceServers: readonly IceServer[];
  /** A TURN server using coturn's REST scheme (use-auth-secret): credentials are minted per join. */
  readonly turn:
    { readonly secret: string; readonly urls: readonly string[]; readonly ttlSeconds: number } | undefined;
  readonly dataDir: string;
  readonly roomTtlSeconds: number;
  readonly defaultCountry: CountryCode | undefined;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** When set, /metrics answers only to this bearer token. */
  readonly metricsToken: string | undefined;
  readonly inviteTemplate: InviteTemplate | undefined;
  readonly invitationLimits: InvitationLimits;
  readonly maxSendsPerSecond: number;
  /** The bot's own WhatsApp number (digits), when given: pages link to its chat to ask for a new link. */
  readonly botNumber: string | undefined;
  /** After a crash, how long a send that may have reached Meta waits for its status webhook before a resend. */
  readonly outboxConfirmWaitSeconds: number;
}

/** Thrown when the environment is unusable; `problems` names every bad or missing variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseIceServers(json: string | undefined, problems: string[]): IceServer[] {
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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment into a frozen Config. Without WHATSAPP_TOKEN the service runs in sandbox mode and
 * makes up the webhook secrets it was not given; with a token, the Meta credentials are all required.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const iceServers = parseIceServers(e.ICE_SERVERS_JSON, problems);

  let whatsapp: WhatsAppConfig = { mode: 'sandbox' };
  if (e.WHATSAPP_TOKEN !== undefined) {
    for (const name of ['APP_SECRET', 'VERIFY_TOKEN', 'WABA_PHONE_NUMBER_ID'] as const) {
      if (e[name] === undefined) problems.push(`${name}: is required when WHATSAPP_TOKEN is set`);
    }
    if (e.PUBLIC_BASE_URL === undefined) {
      problems.push('PUBLIC_BASE_URL: is required when WHATSAPP_TOKEN is set (links must reach phones)');
    }
    whatsapp = {
      mode: 'cloud',
      token: e.WHATSAPP_TOKEN,
      phoneNumberId: e.WABA_PHONE_NUMBER_ID ?? '',
      graphApiBaseUrl: e.GRAPH_API_BASE_URL.replace(/\/+$/, ''),
      graphApiVersion: e.GRAPH_API_VERSION,
    };
  }
  const trustedProxies = e.TRUST_PROXY?.split(',').map((entry) => entry.trim()) ?? [];
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    if (isIP(address) === 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) {
      problems.push(`TRUST_PROXY: "${entry}" is not an IP address or CIDR`);
    }
  }
  const turnUrls = e.TURN_URLS?.split(',').map((url) => url.trim());
  for (const url of turnUrls ?? []) {
    if (!/^turns?:[^\s]+$/.test(url)) problems.push(`TURN_URLS: "${url}" is not a turn: or turns: URL`);
  }
  if ((e.TURN_SECRET === undefined) !== (turnUrls === undefined)) {
    problems.push('TURN_SECRET and TURN_URLS: set both, or neither');
  }
  const allowedSenders = e.ALLOWED_SENDERS?.split(',').map((entry) => {
    const number = parsePhoneNumber(entry, undefined);
    if (number === undefined)
      problems.push(`ALLOWED_SENDERS: "${entry.trim()}" is not a number with its country code`);
    return number ?? '';
  });
  const botNumber =
    e.WHATSAPP_DISPLAY_NUMBER === undefined
      ? undefined
      : parsePhoneNumber(e.WHATSAPP_DISPLAY_NUMBER, undefined);
  if (e.WHATSAPP_DISPLAY_NUMBER !== undefined && botNumber === undefined) {
    problems.push(
      `WHATSAPP_DISPLAY_NUMBER: "${e.WHATSAPP_DISPLAY_NUMBER}" is not a number with its country code`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    port: e.PORT,
    host: e.HOST,
    trustedProxies,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    whatsapp,
    webhook: {
      verifyToken: e.VERIFY_TOKEN ?? randomBytes(16).toString('base64url'),
      appSecret: e.APP_SECRET ?? randomBytes(32).toString('base64url'),
    },
    iceServers,
    turn:
      e.TURN_SECRET === undefined || turnUrls === undefined
        ? undefined
        : { secret: e.TURN_SECRET, urls: turnUrls, ttlSeconds: e.TURN_TTL },
    // ':memory:' keeps everything in memory (tests); anything else is a folder.
    dataDir: e.DATA_DIR === ':memory:' ? e.DATA_DIR : path.resolve(e.DATA_DIR),
    roomTtlSeconds: e.ROOM_TTL,
    defaultCountry: e.DEFAULT_COUNTRY as CountryCode | undefined,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    inviteTemplate:
      e.WHATSAPP_INVITE_TEMPLATE === undefined
        ? undefined
        : {
            name: e.WHATSAPP_INVITE_TEMPLATE,
            language: e.WHATSAPP_INVITE_TEMPLATE_LANGUAGE,
            nameParameter: e.WHATSAPP_INVITE_TEMPLATE_NAME_PARAMETER,
            buttonIndex: e.WHATSAPP_INVITE_TEMPLATE_BUTTON_INDEX,
            declineButtonIndex: e.WHATSAPP_INVITE_TEMPLATE_DECLINE_BUTTON_INDEX,
          },
    invitationLimits: {
      perSenderPerHour: e.INVITES_PER_SENDER_PER_HOUR,
      pairCooldownSeconds: e.PAIR_COOLDOWN,
      allowedSenders,
    },
    maxSendsPerSecond: e.WHATSAPP_MAX_SENDS_PER_SECOND,
    botNumber,
    outboxConfirmWaitSeconds: e.OUTBOX_CONFIRM_WAIT,
  });
}
