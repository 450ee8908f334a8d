import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { roomIdSchema } from '../rooms/room.js';
import { requireSession } from './admin-session.js';
import { csvLines } from './dashboard-csv.js';
import { rangeQuerySchema, resolveRange } from './dashboard-range.js';
import type { OperatorStore } from './operator-store.js';

const pageQuerySchema = rangeQuerySchema.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
const cursorSchema = z.object({ c: z.number().int(), i: roomIdSchema });

/** A query string checked by `schema`, or BAD_REQUEST naming each wrong field. */
function queryOf<T extends z.ZodType>(schema: T, request: FastifyRequest): z.infer<T> {
  const parsed = schema.safeParse(request.query);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'BAD_REQUEST',
    parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
  );
}

function decodeCursor(cursor: string | undefined): { createdAtMs: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAtMs: parsed.c, id: parsed.i };
  } catch {
    throw new AppError('BAD_REQUEST', 'cursor: not a cursor this dashboard gave');
  }
}

const encodeCursor = (call: { createdAtMs: number; id: string }) =>
  Buffer.from(JSON.stringify({ c: call.createdAtMs, i: call.id })).toString('base64url');

/** The dashboard's figures, for a signed-in operator. */
export function dashboardRoutes(
  app: FastifyInstance,
  options: { store: OperatorStore; now: () => number },
): Promise<void> {
  const { history } = app.storage;
  const signedIn = (request: FastifyRequest) => requireSession(request, options.store, options.now());

  app.get('/admin/api/now', async (request) => {
    await signedIn(request);
    return { at: new Date(options.now()).toISOString(), lines: await history.now(options.now()) };
  });

  app.get('/admin/api/stats', async (request) => {
    await signedIn(request);
    const { range, bucketMs, offsetMs } = resolveRange(queryOf(rangeQuerySchema, request), options.now());
    return {
      from: new Date(range.fromMs).toISOString(),
      to: new Date(range.toMs).toISOString(),
      bucketMs,
      ...(await history.stats(range, bucketMs, offsetMs)),
    };
  });

  app.get('/admin/api/calls', async (request) => {
    await signedIn(request);
    const query = queryOf(pageQuerySchema, request);
    const { range } = resolveRange(query, options.now());
    const calls = await history.page(range, decodeCursor(query.cursor), query.limit + 1, options.now());
    const page = calls.slice(0, query.limit);
    const last = page.at(-1);
    return {
      calls: page,
      ...(calls.length > query.limit && last !== undefined && { nextCursor: encodeCursor(last) }),
    };
  });

  app.get('/admin/api/calls.csv', async (request, reply) => {
    await signedIn(request);
    const query = queryOf(rangeQuerySchema, request);
    const { range, offsetMs } = resolveRange(query, options.now());
    const nowMs = options.now();
    // Page by page, so that a month of calls never sits in memory at once.
    async function* rows() {
      let after: { createdAtMs: number; id: string } | undefined;
      for (;;) {
        const page = await history.page(range, after, 500, nowMs);
        if (page.length === 0) return;
        yield page;
        const last = page.at(-1);
        after = last && { createdAtMs: last.createdAtMs, id: last.id };
      }
    }
    const day = new Date(nowMs + offsetMs).toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="calls-${query.range}-${day}.csv"`)
      .send(Readable.from(csvLines(rows(), offsetMs)));
  });

  app.get<{ Params: { id: string } }>('/admin/api/calls/:id', async (request) => {
    await signedIn(request);
    const id = roomIdSchema.safeParse(request.params.id);
    const found = id.success ? await history.call(id.data, options.now()) : undefined;
    if (found === undefined) throw new AppError('NOT_FOUND', 'No call with this id in the history.');
    return found;
  });
  return Promise.resolve();
}
