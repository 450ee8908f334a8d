import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import {
  commitReply,
  planReply,
  type InvitationSettings,
  type ReplyPlan,
} from '../invitations/call-invitations.js';
import type { MessageEffects } from '../../calls/message-ledger.js';
import { maskPhoneNumber } from '../../phone-number.js';
import type { Line } from '../../config.js';
import { reportUndelivered } from '../invitations/undelivered-invitations.js';
import { checkWebhookSignature } from './webhook-signature.js';
import type { CallEvents } from '../../events/call-events.js';
import { invitationEvent } from '../../events/invitation-events.js';
import { readWebhookContents, webhookPayloadSchema } from './webhook-payload.js';

/** What the webhook needs besides the app's storage and outbox worker. */
export interface WebhookOptions {
  /** The business numbers served; changes for any other are acknowledged, never answered. */
  readonly lines: readonly [Line, ...Line[]];
  readonly publicBaseUrl: string;
  readonly roomTtlSeconds: number;
  readonly verifyToken: string;
  /** One per Meta app: a body signed with any of them is genuine. */
  readonly appSecrets: readonly string[];
  /** With WhatsApp voice calls bridged, the number a line's invitations offer to call (wa.me/call). */
  readonly voiceCallNumber: (line: Line) => string | undefined;
  readonly now: () => number;
}

/** The rules for messages that reach `line`. */
function lineSettings(line: Line, options: WebhookOptions, events: CallEvents): InvitationSettings {
  return {
    events,
    line: line.id,
    language: line.language,
    publicBaseUrl: options.publicBaseUrl,
    roomTtlSeconds: options.roomTtlSeconds,
    defaultCountry: line.defaultCountry,
    inviteTemplate: line.inviteTemplate,
    limits: line.invitationLimits,
    voiceCallNumber: options.voiceCallNumber(line),
    timeZone: line.timeZone,
  };
}

const deliveryStatusSchema = z.enum(['sent', 'delivered', 'read', 'failed']);

const verificationQuerySchema = z.object({
  'hub.mode': z.literal('subscribe'),
  'hub.verify_token': z.string(),
  'hub.challenge': z.string().max(256),
});

/** Counts a new room, and how its invitee was reached: inside their window, by template, or not at all. */
function countInvitation(metrics: Metrics, effects: MessageEffects, line: string): void {
  if (effects.rooms.length === 0) return;
  metrics.roomsCreated.inc({ line }, effects.rooms.length);
  const invitation = effects.messages.find((message) => message.kind === 'invitation');
  const route =
    invitation === undefined
      ? 'forward_link'
      : invitation.content.type === 'template'
        ? 'template'
        : 'window';
  metrics.invitations.inc({ line, route });
}

/** A new call's plan, with its `call.created` event written in the same commit. */
function withCreatedEvent(plan: ReplyPlan, events: CallEvents, nowMs: number): ReplyPlan {
  if (!('guard' in plan) || !events.enabled) return plan;
  const room = plan.effects.rooms[0];
  if (room === undefined) return plan;
  const created = events.messages(`${room.id}:created`, 'call.created', room, { source: 'whatsapp' }, nowMs);
  return { ...plan, effects: { ...plan.effects, messages: [...plan.effects.messages, ...created] } };
}

/** Meta's payloads are a few KB; this leaves room for large batches. */
const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * `GET /webhook`, the verification handshake, and `POST /webhook`, the notifications: signature checked over
 * the raw bytes before anything is parsed, every message handled exactly once, and the answer given before
 * any call to the Graph API (the outbox worker sends afterwards).
 */
export function webhookRoute(app: FastifyInstance, options: WebhookOptions): Promise<void> {
  // The body stays raw bytes in this scope: the signature covers Meta's exact bytes, escapes included.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get('/webhook', (request, reply) => {
    const query = verificationQuerySchema.safeParse(request.query);
    if (!query.success || query.data['hub.verify_token'] !== options.verifyToken) {
      throw new AppError('WEBHOOK_VERIFICATION_FAILED');
    }
    return reply.type('text/plain; charset=utf-8').send(query.data['hub.challenge']);
  });

  const { metrics } = app;
  // Rejections are counted by their code, as the error handler answers them.
  app.addHook('onError', (request, _reply, error, done) => {
    if (request.method === 'POST') {
      metrics.webhookDeliveries.inc({ outcome: error instanceof AppError ? error.code : 'INTERNAL' });
    }
    done();
  });

  app.post('/webhook', async (request) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = checkWebhookSignature(
      raw,
      request.headers['x-hub-signature-256'] as string | undefined,
      options.appSecrets,
    );
    if (signature === 'missing') throw new AppError('WEBHOOK_SIGNATURE_MISSING');
    if (signature === 'invalid') throw new AppError('WEBHOOK_SIGNATURE_INVALID');

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('WEBHOOK_PAYLOAD_INVALID', 'The webhook body is not valid JSON.');
    }
    const payload = webhookPayloadSchema.safeParse(json);
    if (!payload.success) throw new AppError('WEBHOOK_PAYLOAD_INVALID');

    const byNumber = new Map(options.lines.map((line) => [line.phoneNumberId, line]));
    const contents = readWebhookContents(payload.data, { serves: (id) => byNumber.has(id) });
    metrics.webhookDeliveries.inc({ outcome: 'accepted' });
    for (const other of contents.otherNumbers) {
      metrics.webhookMessages.inc({ outcome: 'other_number' }, other.messages);
      request.log.warn(
        { code: 'WEBHOOK_OTHER_NUMBER', ...other },
        'webhook: change for a business number this service does not serve; not answered',
      );
    }
    for (const error of contents.errors) {
      metrics.webhookErrors.inc({ code: String(error.code) });
      request.log.warn(
        {
          code: 'WEBHOOK_ERROR_REPORTED',
          metaCode: error.code,
          title: error.title ?? error.message,
          details: error.error_data?.details,
        },
        'webhook: Meta reported an error',
      );
    }
    for (const item of contents.rejected) {
      metrics.webhookMessages.inc({ outcome: 'invalid' });
      request.log.warn(
        { code: 'WEBHOOK_ITEM_INVALID', kind: item.kind, reason: item.reason },
        'webhook: item skipped',
      );
    }
    for (const { call, phoneNumberId } of contents.calls) {
      const line = byNumber.get(phoneNumberId ?? '') ?? options.lines[0];
      request.log.info({ callId: call.id, event: call.event, direction: call.direction }, 'webhook: call');
      // Answered after the acknowledgement: Meta allows tens of seconds to accept, not to acknowledge.
      if (line !== undefined) void app.callBridges.handle(call, line);
    }
    let handled = 0;
    let duplicates = 0;
    const state = { people: app.storage.people, rooms: app.storage.rooms };
    for (const received of contents.messages) {
      const nowMs = options.now();
      // A change without metadata (never seen from Meta) goes to the first line.
      const line = byNumber.get(received.phoneNumberId ?? '') ?? options.lines[0];
      let plan: ReplyPlan;
      try {
        plan = await planReply(received, lineSettings(line, options, app.callEvents), state, nowMs);
      } catch (error) {
        // Storage that does not answer is worth Meta's retry (a 503, or a 500 when the ping fails); anything
        // else about this message would fail the same way on every retry, for days: it is recorded as
        // unhandleable and acknowledged.
        if (error instanceof AppError && error.code === 'STORAGE_UNAVAILABLE') throw error;
        await app.storage.ping();
        const fresh = await app.storage.ledger.commit(
          received.message.id,
          { rooms: [], messages: [] },
          nowMs,
        );
        if (!fresh) duplicates++;
        metrics.webhookMessages.inc({ line: line.id, outcome: fresh ? 'unhandleable' : 'duplicate' });
        request.log.error(
          {
            err: error,
            line: line.id,
            code: 'WEBHOOK_ITEM_UNHANDLEABLE',
            messageId: received.message.id,
            duplicate: !fresh,
          },
          'webhook: message could not be handled; recorded so that it is not retried',
        );
        continue;
      }
      const { outcome, effects } = await commitReply(
        app.storage.ledger,
        received.message.id,
        withCreatedEvent(plan, app.callEvents, nowMs),
        nowMs,
      );
      const fresh = effects !== undefined;
      if (fresh) {
        handled++;
        if (outcome === 'created') countInvitation(metrics, effects, line.id);
      } else {
        duplicates++;
      }
      metrics.webhookMessages.inc({ line: line.id, outcome: fresh ? 'handled' : 'duplicate' });
      request.log.info(
        {
          line: line.id,
          messageId: received.message.id,
          from: maskPhoneNumber(received.message.from ?? received.message.from_user_id ?? ''),
          type: received.message.type,
          duplicate: !fresh,
          ...(outcome !== 'handled' && outcome !== 'duplicate' && { call: outcome }),
          roomId: effects?.rooms[0]?.id,
          replies: effects?.messages.length ?? 0,
        },
        fresh ? 'webhook: message handled' : 'webhook: duplicate message ignored',
      );
    }
    for (const status of contents.statuses) {
      const parsed = deliveryStatusSchema.safeParse(status.status);
      // 'played' and 'deleted' say nothing about delivery.
      if (!parsed.success) continue;
      const errorCode = status.errors?.[0]?.code;
      const recorded = await app.storage.outbox.recordStatus(
        { wamid: status.id, correlationId: status.biz_opaque_callback_data, status: parsed.data, errorCode },
        options.now(),
      );
      request.log.info(
        {
          wamid: status.id,
          status: status.status,
          to: maskPhoneNumber(status.recipient_id ?? status.recipient_user_id ?? ''),
          errorCode,
          known: recorded !== undefined,
          changed: recorded?.changed,
        },
        'webhook: message status',
      );
      if (recorded?.changed && parsed.data === 'failed') {
        if (await reportUndelivered(app.storage.ledger, recorded.entry, errorCode, options.now())) handled++;
      }
      if (recorded?.changed) {
        const state = parsed.data;
        const entry = recorded.entry;
        if (
          await invitationEvent(
            { events: app.callEvents, history: app.storage.history, rooms: app.storage.rooms },
            entry,
            state,
            errorCode,
            options.now(),
          )
        ) {
          handled++;
        }
      }
    }
    if (handled > 0) app.outboxWorker.kick();
    return {
      received: contents.messages.length,
      handled,
      duplicates,
      statuses: contents.statuses.length,
      ...(contents.calls.length > 0 && { calls: contents.calls.length }),
    };
  });
  return Promise.resolve();
}
