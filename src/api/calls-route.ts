import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Line } from '../config-lines.js';
import { AppError } from '../errors.js';
import type { Room } from '../rooms/room.js';
import { bookedStart, invitationId, planApiCall, type ApiCallSettings } from './api-calls.js';
import { authenticate, lineFor, linesOf, requireScope } from './api-auth.js';
import type { ApiKey } from './api-keys.js';
import {
  callIdSchema,
  createCallBodySchema,
  listQuerySchema,
  rescheduleBodySchema,
  type CallView,
} from './api-schemas.js';
import { callView, invitationOf } from './call-view.js';
import { planNotices } from './cancellation.js';

/** What the REST API needs besides the app's storage and outbox worker. */
export interface CallsRouteOptions extends ApiCallSettings {
  readonly lines: readonly [Line, ...Line[]];
  /** Requests per minute per key. */
  readonly rateLimitPerMinute: number;
  /** Where the limits are counted with several instances (one count per key for all); in memory without. */
  readonly redis?: Redis | undefined;
  readonly now: () => number;
}

/** "field.path: what is wrong" for every issue, so that a caller can fix them all at once. */
function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
  );
  throw new AppError('API_REQUEST_INVALID', problems.join('; '));
}

const idempotencyKeySchema = z.string().min(1).max(255);

/** A page's cursor: the last room it showed. */
const cursorSchema = z.object({ c: z.number().int(), i: z.string() });
const encodeCursor = (last: { createdAtMs: number; id: string }) =>
  Buffer.from(JSON.stringify({ c: last.createdAtMs, i: last.id })).toString('base64url');
function decodeCursor(cursor: string): { createdAtMs: number; id: string } {
  try {
    const { c, i } = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAtMs: c, id: i };
  } catch {
    throw new AppError('API_REQUEST_INVALID', 'cursor: not a cursor this API gave.');
  }
}

/**
 * `/api/v1/calls`: create a call, read one or a page of them, cancel one. Every request carries an API key
 * (`Authorization: Bearer`), limited per key by @fastify/rate-limit.
 */
export async function callsRoute(app: FastifyInstance, options: CallsRouteOptions): Promise<void> {
  const { storage } = app;
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (request) => {
    request.apiKey = await authenticate(request, storage.apiKeys);
  });
  await app.register(rateLimit, {
    hook: 'preHandler',
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.apiKey?.id ?? request.ip,
    errorResponseBuilder: () => new AppError('API_RATE_LIMITED'),
    ...(options.redis !== undefined && { redis: options.redis, nameSpace: 'wwb:api-rate:' }),
  });

  const keyOf = (request: FastifyRequest): ApiKey => request.apiKey as ApiKey;

  /** A call the key may see, as the API shows it; CALL_NOT_FOUND otherwise (never a hint that it exists). */
  const visibleRoom = async (key: ApiKey, id: unknown): Promise<Room> => {
    const parsedId = callIdSchema.safeParse({ id });
    const room = parsedId.success ? await storage.rooms.get(parsedId.data.id) : undefined;
    if (room === undefined || !linesOf(key, options.lines).some((line) => line.id === room.line)) {
      throw new AppError('CALL_NOT_FOUND');
    }
    return room;
  };
  const view = async (room: Room): Promise<CallView> => {
    const [host, guest] = await Promise.all(
      (['host', 'guest'] as const).map((side) => storage.outbox.get(invitationId(room.id, side))),
    );
    return callView(room, {
      nowMs: options.now(),
      invitation: (side) => invitationOf(side === 'host' ? host : guest, room.notSent?.[side]),
    });
  };

  app.post('/api/v1/calls', async (request, reply: FastifyReply) => {
    const key = keyOf(request);
    requireScope(key, 'write');
    const body = parsed(createCallBodySchema, request.body);
    const header = request.headers['idempotency-key'];
    const idempotencyKey = header === undefined ? undefined : parsed(idempotencyKeySchema, header);
    const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('base64url');
    const replay = async () => {
      const earlier = await storage.apiKeys.findRequest(key.id, idempotencyKey ?? '');
      if (earlier === undefined) return undefined;
      if (earlier.bodyHash !== bodyHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return reply.code(201).header('idempotent-replayed', 'true').send(earlier.answer);
    };
    if (idempotencyKey !== undefined) {
      const answered = await replay();
      if (answered !== undefined) return answered;
    }
    const nowMs = options.now();
    const line = lineFor(key, options.lines, body.line);
    const { effects, answer } = await planApiCall(body, {
      line,
      keyId: key.id,
      people: storage.people,
      settings: options,
      nowMs,
    });
    const room = effects.rooms[0] as Room;
    const apiRequest =
      idempotencyKey === undefined ? undefined : { keyId: key.id, idempotencyKey, bodyHash, answer };
    // With a key, the ledger makes the call once however many times (and at once) the request comes.
    const ledgerId = idempotencyKey === undefined ? `api:${room.id}` : `api:${key.id}:${idempotencyKey}`;
    const created = app.callEvents.messages(
      `${room.id}:created`,
      'call.created',
      room,
      { source: 'api' },
      nowMs,
    );
    const messages = [...effects.messages, ...created];
    if (!(await storage.ledger.commit(ledgerId, { ...effects, messages, apiRequest }, nowMs))) {
      const answered = await replay();
      if (answered !== undefined) return answered;
      throw new AppError('INTERNAL', 'The request was recorded, but not its answer.');
    }
    if (messages.length > 0) app.outboxWorker.kick();
    request.log.info(
      {
        code: 'API_CALL_CREATED',
        key: key.id,
        line: line.id,
        roomId: room.id,
        messages: effects.messages.length,
      },
      'api: call created',
    );
    return reply.code(201).send(answer);
  });

  app.get('/api/v1/calls/:id', async (request) => {
    const key = keyOf(request);
    requireScope(key, 'read');
    return view(await visibleRoom(key, (request.params as { id: unknown }).id));
  });

  app.get('/api/v1/calls', async (request) => {
    const key = keyOf(request);
    requireScope(key, 'read');
    const query = parsed(listQuerySchema, request.query);
    const limit = query.limit ?? 20;
    const lines = linesOf(key, options.lines).map((line) => line.id);
    const calls: CallView[] = [];
    let after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    let exhausted = false;
    // A status is known once a room is read: read on until the page is full or the rooms run out (at most ten
    // pages' worth, so that a rare status cannot make one request scan everything; the cursor goes on from there).
    for (let scanned = 0; calls.length < limit && !exhausted && scanned < 10 * limit;) {
      const rooms = await storage.rooms.list({ lines, after, limit });
      exhausted = rooms.length < limit;
      for (const [index, room] of rooms.entries()) {
        scanned++;
        after = { createdAtMs: room.createdAtMs, id: room.id };
        const call = await view(room);
        if (query.status === undefined || call.status === query.status) calls.push(call);
        if (calls.length === limit) {
          exhausted &&= index === rooms.length - 1;
          break;
        }
      }
    }
    return { calls, ...(!exhausted && after !== undefined && { nextCursor: encodeCursor(after) }) };
  });

  app.post('/api/v1/calls/:id/cancel', async (request) => {
    const key = keyOf(request);
    requireScope(key, 'write');
    const room = await visibleRoom(key, (request.params as { id: unknown }).id);
    const nowMs = options.now();
    if (!(await storage.rooms.cancel(room.id, nowMs))) throw new AppError('CALL_NOT_CANCELLABLE');
    const cancelled = { ...room, cancelledAtMs: nowMs };
    // The people who were sent their link are told, where WhatsApp still allows it.
    const notices = [
      ...(await planNotices('cancelled', cancelled, storage, options.lines, nowMs)),
      ...app.callEvents.messages(`${room.id}:cancelled`, 'call.cancelled', cancelled, {}, nowMs),
    ];
    const history = [
      { id: `${room.id}:cancelled`, roomId: room.id, atMs: nowMs, change: { kind: 'cancelled' } },
    ] as const;
    if (
      (await storage.ledger.commit(
        `api:${room.id}:cancelled`,
        { rooms: [], messages: notices, history },
        nowMs,
      )) &&
      notices.length > 0
    ) {
      app.outboxWorker.kick();
    }
    request.log.info(
      { code: 'API_CALL_CANCELLED', key: key.id, roomId: room.id, told: notices.length },
      'api: call cancelled',
    );
    return view(cancelled);
  });

  app.post('/api/v1/calls/:id/reschedule', async (request) => {
    const key = keyOf(request);
    requireScope(key, 'write');
    const room = await visibleRoom(key, (request.params as { id: unknown }).id);
    const body = parsed(rescheduleBodySchema, request.body);
    const nowMs = options.now();
    const previous = room.startsAtMs;
    if (previous === undefined) throw new AppError('CALL_NOT_RESCHEDULABLE');
    const startsAtMs = bookedStart(body.startsAt, nowMs) as number;
    // The links live as long after the new time as they did after the old one.
    const expiresAtMs = startsAtMs + (room.expiresAtMs - previous);
    if (!(await storage.rooms.reschedule(room.id, startsAtMs, expiresAtMs, nowMs)))
      throw new AppError('CALL_NOT_RESCHEDULABLE');
    const moved = { ...room, startsAtMs, expiresAtMs };
    const cause = `${room.id}:moved:${startsAtMs}`;
    const notices = [
      ...(await planNotices('moved', moved, storage, options.lines, nowMs)),
      ...app.callEvents.messages(
        cause,
        'call.rescheduled',
        moved,
        {
          previousStartsAt: new Date(previous).toISOString(),
        },
        nowMs,
      ),
    ];
    const history = [
      { id: cause, roomId: room.id, atMs: nowMs, change: { kind: 'moved', startsAtMs, expiresAtMs } },
    ] as const;
    if (
      (await storage.ledger.commit(`api:${cause}`, { rooms: [], messages: notices, history }, nowMs)) &&
      notices.length > 0
    )
      app.outboxWorker.kick();
    request.log.info({ code: 'API_CALL_RESCHEDULED', key: key.id, roomId: room.id }, 'api: call rescheduled');
    return view(moved);
  });
}
