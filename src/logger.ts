import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';

/** Fastify's logger settings in object form. */
export type LoggerOptions = Exclude<NonNullable<FastifyServerOptions['logger']>, boolean>;

/**
 * pino options for the service. Request logs carry the path only (the webhook handshake puts the verify
 * token in the query string) and no headers (signatures, tokens, seat keys); phone numbers are masked where
 * they are logged (maskPhoneNumber), and these paths are censored wherever they appear anyway.
 */
export function loggerOptions(level: Config['logLevel']): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-hub-signature-256"]',
        'req.headers["sec-websocket-protocol"]',
        'token',
        'appSecret',
        'verifyToken',
        'seatKey',
        'databaseUrl',
        'redisUrl',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: request.url.split('?', 1)[0] ?? '',
        remoteAddress: request.ip,
      }),
    },
  };
}
