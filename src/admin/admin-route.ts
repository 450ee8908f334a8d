import { readFileSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AppError } from '../errors.js';
import {
  clearSessionCookie,
  requireCsrfToken,
  requireSameOrigin,
  requireSession,
  sessionOf,
  SESSION_TTL_MS,
  setSessionCookie,
} from './admin-session.js';
import { dashboardRoutes } from './dashboard-route.js';
import { MAX_PASSWORD_LENGTH, verifyPassword } from './operator-password.js';

export interface AdminOptions {
  /** The built pages: admin.html (the dashboard) and admin-login.html. */
  readonly webRoot: string;
  readonly publicBaseUrl: string;
  readonly sandbox: boolean;
  readonly lines: readonly { readonly id: string; readonly displayName: string | undefined }[];
  /** Where sign-in attempts are counted with several instances; in memory without. */
  readonly redis?: Redis | undefined;
  readonly now: () => number;
}

/** Sign-in attempts per address in a quarter of an hour: enough for typos, far too few for guessing. */
const LOGIN_ATTEMPTS = 10;
const LOGIN_WINDOW_MS = 15 * 60_000;

const loginSchema = z.object({ password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });

/**
 * The operator's dashboard: `/admin` (the page, once signed in), `/admin/login`, and its JSON under
 * `/admin/api/`. Never open by default: without an operator password nobody can sign in.
 */
export async function adminRoute(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const store = app.storage.operator;
  const publicOrigin = new URL(options.publicBaseUrl).origin;
  const cookies = { secure: publicOrigin.startsWith('https:') };
  const page = (name: string) => readFileSync(path.join(options.webRoot, name), 'utf8');
  const dashboardPage = page('admin.html');
  const loginPage = page('admin-login.html');

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: () => new AppError('ADMIN_LOGIN_RATE_LIMITED'),
    ...(options.redis !== undefined && { redis: options.redis, nameSpace: 'wwb:admin-login:' }),
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    // Figures and sessions are nobody's cache's business.
    reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  app.get('/admin', async (request, reply) => {
    if ((await sessionOf(request, store, options.now())) === undefined)
      return reply.redirect('/admin/login', 303);
    return reply.type('text/html; charset=utf-8').send(dashboardPage);
  });
  app.get('/admin/login', (_request, reply) => reply.type('text/html; charset=utf-8').send(loginPage));

  // What the pages need before anything else: whether someone is signed in, and whether they can be.
  app.get('/admin/api/session', async (request) => {
    const session = await sessionOf(request, store, options.now());
    return {
      signedIn: session !== undefined,
      passwordSet: (await store.passwordHash()) !== undefined,
      sandbox: options.sandbox,
      ...(session !== undefined && {
        csrfToken: session.csrfToken,
        expiresAt: new Date(session.expiresAtMs).toISOString(),
        lines: options.lines.map((line) => ({ id: line.id, name: line.displayName ?? line.id })),
      }),
    };
  });

  app.post(
    '/admin/api/login',
    { config: { rateLimit: { max: LOGIN_ATTEMPTS, timeWindow: LOGIN_WINDOW_MS } } },
    async (request, reply) => {
      requireSameOrigin(request, publicOrigin);
      const body = loginSchema.safeParse(request.body);
      if (!body.success) throw new AppError('BAD_REQUEST', 'A JSON body with the password is required.');
      const hash = await store.passwordHash();
      if (hash === undefined) throw new AppError('ADMIN_PASSWORD_NOT_SET');
      if (!(await verifyPassword(body.data.password, hash))) {
        request.log.warn({ code: 'ADMIN_LOGIN_FAILED', ip: request.ip }, 'admin: wrong password');
        throw new AppError('ADMIN_LOGIN_FAILED');
      }
      const session = await store.createSession(options.now(), SESSION_TTL_MS);
      setSessionCookie(reply, session.token, cookies);
      request.log.info({ ip: request.ip }, 'admin: operator signed in');
      return { csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAtMs).toISOString() };
    },
  );

  app.post('/admin/api/logout', async (request, reply) => {
    const session = await requireSession(request, store, options.now());
    requireCsrfToken(request, session);
    await store.endSession(session.token);
    clearSessionCookie(reply, cookies);
    request.log.info('admin: operator signed out');
    return reply.code(204).send();
  });

  await dashboardRoutes(app, { store, now: options.now });
}
