import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, ERRORS, type ErrorBody } from '../errors.js';

/** Fastify's own client errors, mapped to the catalogue. */
function fromFastifyError(error: FastifyError): AppError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  return new AppError('BAD_REQUEST', error.message);
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
