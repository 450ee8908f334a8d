import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import { envSchema, parseIceServers, type Environment, type IceServer } from './config-env.js';
import { parsePhoneNumber } from './phone-number.js';

export { ENV_VARIABLES, iceServerSchema, type IceServer } from './config-env.js';

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
  readonly logLevel: Environment['LOG_LEVEL'];
  /** When set, /metrics answers only to this bearer token. */
  readonly metricsToken: string | undefined;
  readonly inviteTemplate: InviteTemplate | undefined;
  readonly invitationLimits: InvitationLimits;
  readonly maxSendsPerSecond: number;
  /** PostgreSQL for durable state, shared by every instance; SQLite in dataDir when unset. */
  readonly databaseUrl: string | undefined;
  /** Redis for live signaling state, shared by every instance; this process's memory when unset. */
  readonly redisUrl: string | undefined;
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
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
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
