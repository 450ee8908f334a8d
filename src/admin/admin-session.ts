import type {} from '@fastify/cookie';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { OperatorSession, OperatorStore } from './operator-store.js';

/** The session cookie: only the dashboard's paths, never to scripts, never from another site. */
export const SESSION_COOKIE = 'wwb_operator';
/** How long a sign-in lasts: a working day. */
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface SessionCookieSettings {
  /** Secure cookies when the service is reached over https. */
  readonly secure: boolean;
}

export function setSessionCookie(reply: FastifyReply, token: string, settings: SessionCookieSettings): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.secure,
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply, settings: SessionCookieSettings): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.secure,
  });
}

/** The request's live session and its token, if it has one. */
export async function sessionOf(
  request: FastifyRequest,
  store: OperatorStore,
  nowMs: number,
): Promise<(OperatorSession & { token: string }) | undefined> {
  const token = request.cookies[SESSION_COOKIE];
  if (token === undefined || token.length > 128) return undefined;
  const session = await store.session(token, nowMs);
  return session === undefined ? undefined : { ...session, token };
}

/** The session, or ADMIN_SIGN_IN_REQUIRED. */
export async function requireSession(
  request: FastifyRequest,
  store: OperatorStore,
  nowMs: number,
): Promise<OperatorSession & { token: string }> {
  const session = await sessionOf(request, store, nowMs);
  if (session === undefined) throw new AppError('ADMIN_SIGN_IN_REQUIRED');
  return session;
}

/** A request that changes something must carry the session's CSRF token (synchronizer token pattern). */
export function requireCsrfToken(request: FastifyRequest, session: OperatorSession): void {
  const sent = request.headers['x-csrf-token'];
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  const expected = Buffer.from(session.csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('ADMIN_CSRF_FAILED');
  }
}

/**
 * A sign-in must come from the dashboard's own page: a browser names the page's origin in `Origin` (a form on
 * another site cannot sign someone in to our dashboard with the attacker's password).
 */
export function requireSameOrigin(request: FastifyRequest, publicOrigin: string): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const own = [publicOrigin, `${request.protocol}://${request.host}`];
  if (!own.includes(origin)) throw new AppError('ADMIN_CSRF_FAILED');
}
