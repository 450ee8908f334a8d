import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { NEW_LINK_META } from '../protocol/problems.js';
import { acceptLanguageTags, preferredLanguage } from '../protocol/language.js';
import { isExpired, roomIdSchema } from '../rooms/room.js';
import { renderStatusPage } from './status-page.js';

export interface CallPageOptions {
  /** The built call page: call.html and the assets it loads. */
  readonly webRoot: string;
  /** Where a dead link's page offers to ask for a new one; the call page reads it from a meta tag. */
  readonly newLinkUrl: string | undefined;
  readonly now: () => number;
}

/** `GET /room/:roomId`, the call page (or a page saying why the room cannot open), and its assets under `/assets/`. */
export async function callPageRoute(app: FastifyInstance, options: CallPageOptions): Promise<void> {
  const html = readFileSync(path.join(options.webRoot, 'call.html'), 'utf8');
  const callPage =
    options.newLinkUrl === undefined
      ? html
      : html.replace(
          '</head>',
          `<meta name="${NEW_LINK_META}" content="${options.newLinkUrl.replace(/[&"<>]/g, encodeURIComponent)}">\n</head>`,
        );

  await app.register(fastifyStatic, {
    root: path.join(options.webRoot, 'assets'),
    prefix: '/assets/',
    preCompressed: true,
    cacheControl: true,
    maxAge: '1h',
    index: false,
  });

  app.get<{ Params: { roomId: string } }>('/room/:roomId', async (request, reply) => {
    const parsed = roomIdSchema.safeParse(request.params.roomId);
    const room = parsed.success ? await app.storage.rooms.get(parsed.data) : undefined;
    const reason =
      room === undefined
        ? 'ROOM_NOT_FOUND'
        : room.cancelledAtMs !== undefined
          ? 'ROOM_CANCELLED'
          : isExpired(room, options.now())
            ? 'ROOM_EXPIRED'
            : undefined;
    reply.header('cache-control', 'no-store');
    if (reason !== undefined) {
      const language = preferredLanguage(acceptLanguageTags(request.headers['accept-language']));
      return reply
        .code(reason === 'ROOM_NOT_FOUND' ? 404 : 410)
        .type('text/html; charset=utf-8')
        .send(renderStatusPage(reason, language, options.newLinkUrl));
    }
    return reply.type('text/html; charset=utf-8').send(callPage);
  });
}
