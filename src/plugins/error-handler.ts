import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ERRORS, type ErrorBody } from '../errors.js';

/** Fastify's own client errors, mapped to the catalogue. */
function fromFastifyError(error: FastifyError): AppError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  return new AppError('BAD_REQUEST', error.message);
}

/** Path segments longer than this are no id of ours: such requests get 404 without reaching a route. */
export const MAX_PARAM_LENGTH = 1024;

/**
 * Fastify's router errors, before any route runs: a URL that does not decode is a BAD_REQUEST, a path
 * segment over MAX_PARAM_LENGTH matches nothing of ours. The path is never echoed back.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('NOT_FOUND')
      : new AppError('BAD_REQUEST', 'The URL is not valid.');
  request.log.info({ code: appError.code, cause: error.code }, appError.message);
  void reply.code(appError.statusCode).type('application/json; charset=utf-8').send(appError.toBody());
}

/**
 * Requests Node's HTTP parser refused (not HTTP, headers over 16 KB, too slow): answered with the catalogue's
 * body on the raw socket, as Fastify's default does with its own.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError = new AppError(
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'HEADERS_TOO_LARGE'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'REQUEST_TIMEOUT'
        : 'BAD_REQUEST',
  );
  const body = JSON.stringify(appError.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${appError.statusCode} ${STATUS_CODES[appError.statusCode] ?? ''}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** One error path for HTTP: `{ code, message }` from the catalogue; 5xx details stay in the log. */
export const errorHandlerPlugin = fp(
  (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      let appError: AppError;
      if (error instanceof AppError) appError = error;
      else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        appError = fromFastifyError(error);
      } else {
        request.log.error({ err: error }, 'unhandled error');
        appError = new AppError('INTERNAL');
      }
      if (appError.statusCode < 500) request.log.info({ code: appError.code }, appError.message);
      const body: ErrorBody = appError.toBody();
      return reply.code(appError.statusCode).type('application/json; charset=utf-8').send(body);
    });
    app.setNotFoundHandler((_request, reply) =>
      reply.code(404).send({ code: 'NOT_FOUND', message: ERRORS.NOT_FOUND.message } satisfies ErrorBody),
    );
    return Promise.resolve();
  },
  { name: 'error-handler' },
);
