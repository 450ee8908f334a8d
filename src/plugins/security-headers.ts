import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Headers on every response. Pages load only our own scripts and styles and talk only to our own origin;
 * the camera and microphone are allowed to this origin alone; no URL (and so no room) leaks in a Referer.
 */
export const securityHeadersPlugin = fp(
  (app: FastifyInstance, options: { publicBaseUrl: string }) => {
    const origin = new URL(options.publicBaseUrl);
    const socketOrigin = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
    const csp = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "media-src 'self' blob:",
      `connect-src 'self' ${socketOrigin}`,
      "manifest-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
    const permissions = [
      'camera=(self)',
      'microphone=(self)',
      'display-capture=(self)',
      'geolocation=()',
      'payment=()',
      'usb=()',
      'interest-cohort=()',
    ].join(', ');
    app.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('content-security-policy', csp);
      reply.header('permissions-policy', permissions);
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-opener-policy', 'same-origin');
      if (origin.protocol === 'https:') reply.header('strict-transport-security', 'max-age=31536000');
      done(null, payload);
    });
    return Promise.resolve();
  },
  { name: 'security-headers' },
);
