import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import { envSchema, parseIceServers, type Environment, type IceServer } from './config-env.js';
import { resolveLines, type Line } from './config-lines.js';
import { parseEventEndpoints, type EventEndpoint } from './config-events.js';

export { ENV_VARIABLES, iceServerSchema, type IceServer } from './config-env.js';
export {
  MAIN_LINE_ID,
  type InvitationLimits,
  type InviteTemplate,
  type Line,
  type ReminderTemplate,
} from './config-lines.js';

/** How outgoing WhatsApp messages leave the service: the Cloud API (each line with its token), or the sandbox. */
export type WhatsAppConfig =
  | { readonly mode: 'cloud'; readonly graphApiBaseUrl: string; readonly graphApiVersion: string }
  | { readonly mode: 'sandbox' };

/** The whole service configuration, parsed once and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Addresses (IPs or CIDRs) of reverse proxies whose X-Forwarded-* headers are believed; none by default. */
  readonly trustedProxies: readonly string[];
  readonly publicBaseUrl: string;
  readonly whatsapp: WhatsAppConfig;
  /** The business numbers served, at least one; the first is the default (the sandbox's first chat, old rows). */
  readonly lines: readonly [Line, ...Line[]];
  /**
   * `appSecrets`: one per Meta app the lines belong to; a webhook signed with any of them is genuine. The first
   * signs the sandbox's webhooks.
   */
  readonly webhook: { readonly verifyToken: string; readonly appSecrets: readonly [string, ...string[]] };
  readonly iceServers: readonly IceServer[];
  /** A TURN server using coturn's REST scheme (use-auth-secret): credentials are minted per join. */
  readonly turn:
    { readonly secret: string; readonly urls: readonly string[]; readonly ttlSeconds: number } | undefined;
  readonly dataDir: string;
  readonly roomTtlSeconds: number;
  /** How many days the call history (the dashboard's) is kept. */
  readonly historyDays: number;
  /** WhatsApp voice calls bridged into rooms, and where the bridge's media is reached. */
  readonly calling: {
    readonly mode: 'off' | 'inbound';
    readonly hostAddresses: readonly string[];
    readonly portRange: readonly [number, number] | undefined;
    /** Whether the bridge's media goes through the TURN server only (relay candidates, both legs). */
    readonly relay: boolean;
  };
  /** When the bot writes on its own: the nudge to someone not yet in a call, a booked call's reminder. */
  readonly followUps: { readonly nudgeAfterSeconds: number; readonly reminderBeforeSeconds: number };
  /** DEFAULT_COUNTRY: for numbers typed in the sandbox, and lines that name no country of their own. */
  readonly defaultCountry: CountryCode | undefined;
  readonly logLevel: Environment['LOG_LEVEL'];
  /** When set, /metrics answers only to this bearer token. */
  readonly metricsToken: string | undefined;
  /** PostgreSQL for durable state, shared by every instance; SQLite in dataDir when unset. */
  readonly databaseUrl: string | undefined;
  /** Redis for live signaling state, shared by every instance; this process's memory when unset. */
  readonly redisUrl: string | undefined;
  /** Where call events are POSTed (Standard Webhooks). */
  readonly eventEndpoints: readonly EventEndpoint[];
  /** The REST API: requests per minute per key. */
  readonly api: { readonly rateLimitPerMinute: number };
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

/** Each distinct app secret once, APP_SECRET first; one made up for a sandbox that was given none. */
function appSecretsOf(lines: readonly Line[], appSecret: string | undefined): [string, ...string[]] {
  const secrets = new Set<string>(appSecret === undefined ? [] : [appSecret]);
  for (const line of lines) if (line.appSecret !== undefined) secrets.add(line.appSecret);
  const [first = randomBytes(32).toString('base64url'), ...rest] = secrets;
  return [first, ...rest];
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

  const lines = resolveLines(e, problems);
  const eventEndpoints = parseEventEndpoints(e.EVENT_WEBHOOKS_JSON, problems);
  const cloud = lines.some((line) => line.token !== undefined);
  let whatsapp: WhatsAppConfig = { mode: 'sandbox' };
  if (cloud) {
    if (e.VERIFY_TOKEN === undefined) problems.push('VERIFY_TOKEN: is required when WHATSAPP_TOKEN is set');
    if (lines.length === 1 && e.APP_SECRET === undefined) {
      problems.push('APP_SECRET: is required when WHATSAPP_TOKEN is set');
    }
    if (e.PUBLIC_BASE_URL === undefined) {
      problems.push('PUBLIC_BASE_URL: is required when WHATSAPP_TOKEN is set (links must reach phones)');
    }
    whatsapp = {
      mode: 'cloud',
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
  if (e.TIME_ZONE_FOR_EVERYONE === 'true' && e.TIME_ZONE === undefined)
    problems.push('TIME_ZONE_FOR_EVERYONE: needs TIME_ZONE, the zone everyone is read in');
  for (const line of lines) {
    const template = line.inviteTemplate;
    const positions = [
      template?.buttonIndex,
      template?.declineButtonIndex,
      template?.voiceButtonIndex,
    ].filter((index) => index !== undefined);
    if (new Set(positions).size !== positions.length)
      problems.push(`line "${line.id}": the invitation template's buttons need different positions`);
  }
  if (e.WHATSAPP_CALLING === 'off') {
    // The button is in the approved template whatever the service does: it would ring a number nobody answers.
    for (const line of lines.filter((l) => l.inviteTemplate?.voiceButtonIndex !== undefined))
      problems.push(
        `WHATSAPP_CALLING: line "${line.id}"'s invitation template has a voice-call button; turn calling on (inbound) or use a template without one`,
      );
  } else {
    for (const line of lines.filter((l) => l.botNumber === undefined))
      problems.push(
        `WHATSAPP_CALLING: line "${line.id}" needs its number (WHATSAPP_DISPLAY_NUMBER, or displayNumber in the line) for the wa.me/call link of its invitations`,
      );
  }
  const bridgeAddresses = e.CALL_BRIDGE_ADDRESSES?.split(',').map((entry) => entry.trim()) ?? [];
  for (const address of bridgeAddresses) {
    if (isIP(address) === 0) problems.push(`CALL_BRIDGE_ADDRESSES: "${address}" is not an IP address`);
  }
  const [firstPort, lastPort] = e.CALL_BRIDGE_UDP_PORTS?.split('-').map(Number) ?? [];
  if (
    firstPort !== undefined &&
    (firstPort < 1024 || (lastPort ?? 0) > 65_535 || firstPort > (lastPort ?? 0))
  ) {
    problems.push('CALL_BRIDGE_UDP_PORTS: must be a range within 1024-65535, first not above last');
  }
  // The bridge speaks TURN over UDP (werift); turns: (TLS) is for browsers behind firewalls.
  if (e.CALL_BRIDGE_TURN === 'relay' && !(turnUrls ?? []).some((url) => url.startsWith('turn:')))
    problems.push('CALL_BRIDGE_TURN: relay needs TURN_SECRET and a turn: URL in TURN_URLS');
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    port: e.PORT,
    host: e.HOST,
    trustedProxies,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    whatsapp,
    lines: lines as [Line, ...Line[]],
    webhook: {
      verifyToken: e.VERIFY_TOKEN ?? randomBytes(16).toString('base64url'),
      appSecrets: appSecretsOf(lines, e.APP_SECRET),
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
    outboxConfirmWaitSeconds: e.OUTBOX_CONFIRM_WAIT,
    api: { rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE },
    historyDays: e.HISTORY_DAYS,
    followUps: { nudgeAfterSeconds: e.NUDGE_AFTER, reminderBeforeSeconds: e.REMINDER_BEFORE },
    calling: {
      mode: e.WHATSAPP_CALLING,
      hostAddresses: bridgeAddresses,
      portRange: firstPort === undefined ? undefined : [firstPort, lastPort as number],
      relay: e.CALL_BRIDGE_TURN === 'relay',
    },
    eventEndpoints,
  });
}
