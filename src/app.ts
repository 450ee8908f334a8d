import { callingPlugin } from './calling/calling-plugin.js';
import type { CallingActions } from './calling/calling-actions.js';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config, Line } from './config.js';
import { callPageRoute } from './http/call-page-route.js';
import { forwardRoute } from './whatsapp/invitations/forward-route.js';
import { calendarRoute } from './scheduling/calendar-route.js';
import { healthRoute } from './http/health-route.js';
import { loggerOptions } from './logger.js';
import {
  clientErrorHandler,
  errorHandlerPlugin,
  frameworkErrors,
  MAX_PARAM_LENGTH,
} from './plugins/error-handler.js';
import { retentionPlugin } from './calls/retention.js';
import { metricsPlugin } from './plugins/metrics-plugin.js';
import { nudgesPlugin } from './whatsapp/invitations/nudges-plugin.js';
import { remindersPlugin } from './whatsapp/invitations/reminders-plugin.js';
import { outboxWorkerPlugin } from './whatsapp/outbox/outbox-worker-plugin.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { storagePlugin } from './plugins/storage-plugin.js';
import { websocketPlugin } from './plugins/websocket.js';
import { SandboxChat } from './sandbox/sandbox-chat.js';
import { sandboxRoute } from './sandbox/sandbox-route.js';
import { SANDBOX_BUSINESS_NUMBER, SandboxCalling, sandboxCallsRoute } from './sandbox/sandbox-calls.js';
import { roomApiRoute } from './signaling/room-api-route.js';
import { callsRoute } from './api/calls-route.js';
import { openApiRoute } from './api/openapi.js';
import { adminRoute } from './admin/admin-route.js';
import { RoomSignaling } from './signaling/room-signaling.js';
import { signalingRoute } from './signaling/signaling-route.js';
import {
  openLiveState,
  openStorage,
  SHARED_RECOVERY_INTERVAL_MS,
  type LiveState,
  type Storage,
} from './storage/storage.js';
import { lineSenders } from './whatsapp/outbox/line-senders.js';
import { eventSenders } from './events/event-senders.js';
import { CallEvents } from './events/call-events.js';
import { invitationEvent } from './events/invitation-events.js';
import { expiryEventsPlugin } from './events/expiry-events.js';
import {
  DEFAULT_OUTBOX_WORKER_SETTINGS,
  type OutboxWorkerSettings,
} from './whatsapp/outbox/outbox-worker.js';
import { reportUndelivered } from './whatsapp/invitations/undelivered-invitations.js';
import { webhookRoute } from './whatsapp/webhook/webhook-route.js';
import type { WhatsAppClient } from './whatsapp/outbox/whatsapp-client.js';

type LoggerSetting = NonNullable<FastifyServerOptions['logger']>;

/** Everything buildApp would otherwise make from the config; tests pass their own. */
export interface AppDependencies {
  readonly storage?: Storage;
  /** Seat presence and the bus between seats; in-process when not given. */
  readonly liveState?: LiveState;
  /** Replaces the Cloud API client (cloud mode) or the sandbox chat (sandbox mode). */
  readonly whatsappClient?: WhatsAppClient;
  readonly sandboxChat?: SandboxChat;
  /** The built web assets (npm run build:web). */
  readonly webRoot?: string;
  readonly now?: () => number;
  readonly heartbeatIntervalMs?: number;
  readonly outboxWorker?: Partial<OutboxWorkerSettings>;
  readonly logger?: LoggerSetting;
  /** Replaces the Graph API for calling actions (pre_accept, accept, reject, terminate). */
  readonly callingActions?: CallingActions;
  /** How long a WhatsApp call's media may take to connect once accepted (30 s). */
  readonly callingMediaTimeoutMs?: number;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../dist/web', import.meta.url));

/**
 * Builds the service: infrastructure, then domain services, then routes, in this order. It reads no
 * environment and does not listen; server.ts does.
 */
export async function buildApp(config: Config, deps: AppDependencies = {}): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const webRoot = deps.webRoot ?? DEFAULT_WEB_ROOT;
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config.logLevel),
    // X-Forwarded-For and -Proto are believed only from the configured reverse proxies.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    // Behind a trusted proxy, its X-Request-Id ties nginx's log lines to ours.
    ...(config.trustedProxies.length > 0 && { requestIdHeader: 'x-request-id' }),
    genReqId: () => crypto.randomUUID(),
    // Refusals before any route runs use the error catalogue too.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
  });

  const sandboxChat =
    config.whatsapp.mode === 'sandbox' ? (deps.sandboxChat ?? new SandboxChat(now)) : undefined;

  // Infrastructure
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin, { publicBaseUrl: config.publicBaseUrl });
  await app.register(metricsPlugin, { token: config.metricsToken });
  const storage =
    deps.storage ??
    (await openStorage({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      sharedLiveState: config.redisUrl !== undefined,
      now,
      onError: (message) => app.log.error(message),
    }));
  await app.register(storagePlugin, { storage });
  const live =
    deps.liveState ??
    (await openLiveState({ redisUrl: config.redisUrl, onError: (message) => app.log.error(message) }));
  const signaling = new RoomSignaling(live.hub, live.bus);
  // Closed after the sockets (the websocket plugin's preClose), before storage.
  app.addHook('onClose', () => signaling.close());
  await app.register(websocketPlugin);
  const sandboxCalling = sandboxChat === undefined ? undefined : new SandboxCalling(sandboxChat);
  await app.register(callingPlugin, {
    config,
    signaling,
    actions: deps.callingActions ?? sandboxCalling,
    sandbox: sandboxChat !== undefined,
    mediaTimeoutMs: deps.callingMediaTimeoutMs,
    now,
  });

  // Domain services
  const outboxSettings: OutboxWorkerSettings = {
    ...DEFAULT_OUTBOX_WORKER_SETTINGS,
    unconfirmedWaitMs: config.outboxConfirmWaitSeconds * 1000,
    // A shared outbox: take over a dead instance's sends within its heartbeat window.
    recoverEveryMs: config.databaseUrl === undefined ? undefined : SHARED_RECOVERY_INTERVAL_MS,
    ...deps.outboxWorker,
  };
  // The Cloud API clients close after the outbox workers' last sends (their preClose).
  const senders = [
    ...lineSenders(config, live.sendBudget, deps.whatsappClient ?? sandboxChat, (close) =>
      app.addHook('onClose', close),
    ),
    ...eventSenders(config, now),
  ];
  const events = new CallEvents(config.eventEndpoints, () => storage.ledger);
  app.decorate('callEvents', events);
  const followers = { events, history: storage.history, rooms: storage.rooms };
  await app.register(outboxWorkerPlugin, {
    outbox: storage.outbox,
    lines: senders.map((sender) => ({
      ...sender,
      // Settings a test gives win over the line's.
      settings: { ...sender.settings, ...deps.outboxWorker, ...sender.required },
    })),
    onFailedForGood: async (entry, errorCode) => {
      // Both: the inviter's notice and the systems' event.
      const notice = await reportUndelivered(storage.ledger, entry, errorCode, now());
      const event = await invitationEvent(followers, entry, 'failed', errorCode, now());
      return notice || event;
    },
    onSent: (entry) => invitationEvent(followers, entry, 'sent', undefined, now()),
    settings: outboxSettings,
    now,
  });
  await app.register(retentionPlugin, { state: storage, now, historyDays: config.historyDays });
  const lineLanguage = (id: string) => config.lines.find((line) => line.id === id)?.language;
  await app.register(nudgesPlugin, {
    state: storage,
    now,
    lineLanguage,
    afterMs: config.followUps.nudgeAfterSeconds * 1000,
  });
  await app.register(remindersPlugin, {
    state: storage,
    lines: config.lines,
    beforeMs: config.followUps.reminderBeforeSeconds * 1000,
    now,
  });
  await app.register(expiryEventsPlugin, { state: storage, events, now });

  // The invitations' voice link: the line's number; in the sandbox, a pretend one when the line has none.
  const voiceCallNumber = (line: Line) =>
    sandboxChat !== undefined
      ? (line.botNumber ?? SANDBOX_BUSINESS_NUMBER)
      : config.calling.mode === 'off'
        ? undefined
        : line.botNumber;

  // Routes
  await app.register(healthRoute, { now });
  await app.register(calendarRoute, { publicBaseUrl: config.publicBaseUrl, now });
  await app.register(webhookRoute, {
    lines: config.lines,
    verifyToken: config.webhook.verifyToken,
    appSecrets: config.webhook.appSecrets,
    voiceCallNumber,
    publicBaseUrl: config.publicBaseUrl,
    roomTtlSeconds: config.roomTtlSeconds,
    now,
  });
  await app.register(signalingRoute, {
    signaling,
    iceServers: config.iceServers,
    turn: config.turn,
    heartbeatIntervalMs: deps.heartbeatIntervalMs,
    now,
  });
  await app.register(roomApiRoute, { hub: signaling.hub, now });
  await app.register(callsRoute, {
    lines: config.lines,
    publicBaseUrl: config.publicBaseUrl,
    roomTtlSeconds: config.roomTtlSeconds,
    rateLimitPerMinute: config.api.rateLimitPerMinute,
    voiceCallNumber,
    redis: live.sharedCounters,
    now,
  });
  await app.register(openApiRoute);
  await app.register(adminRoute, {
    webRoot,
    publicBaseUrl: config.publicBaseUrl,
    sandbox: sandboxChat !== undefined,
    lines: config.lines,
    redis: live.sharedCounters,
    now,
  });
  // Where a page for a dead link sends people to ask for a new one: the sandbox, or the (first) bot's chat.
  const botNumber = config.lines.find((line) => line.botNumber !== undefined)?.botNumber;
  const newLinkUrl =
    sandboxChat !== undefined
      ? '/sandbox'
      : botNumber === undefined
        ? undefined
        : `https://wa.me/${botNumber}?text=videollamada`;
  await app.register(callPageRoute, { webRoot, newLinkUrl, now });
  await app.register(forwardRoute, {
    publicBaseUrl: config.publicBaseUrl,
    newLinkUrl,
    lineLanguage,
    voiceCallNumber: (id) => {
      const line = config.lines.find((candidate) => candidate.id === id);
      return line === undefined ? undefined : voiceCallNumber(line);
    },
    now,
  });
  if (sandboxChat !== undefined && sandboxCalling !== undefined) {
    await app.register(sandboxCallsRoute, {
      calling: sandboxCalling,
      appSecret: config.webhook.appSecrets[0],
      lines: config.lines,
      defaultCountry: config.defaultCountry,
      now,
    });
    await app.register(sandboxRoute, {
      chat: sandboxChat,
      appSecret: config.webhook.appSecrets[0],
      lines: config.lines,
      webRoot,
      defaultCountry: config.defaultCountry,
      now,
    });
  }
  return app;
}
