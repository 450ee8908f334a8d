import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createDocument, type ZodOpenApiResponsesObject } from 'zod-openapi';
import {
  callIdSchema,
  callListSchema,
  callSchema,
  createCallBodySchema,
  createdCallSchema,
  errorBodySchema,
  listQuerySchema,
  rescheduleBodySchema,
} from './api-schemas.js';

// The OpenAPI 3.1 document of the REST API, generated from the same zod schemas that check its requests, and
// a reference page made from that document.

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(errorBodySchema) });
const ERRORS: ZodOpenApiResponsesObject = {
  '401': error('API_KEY_MISSING or API_KEY_INVALID'),
  '403': error('API_SCOPE_MISSING or API_LINE_FORBIDDEN'),
  '422': error('API_REQUEST_INVALID: the message names every bad field'),
  '429': error('API_RATE_LIMITED; see Retry-After'),
};

/** The document, made once. */
export const OPENAPI_DOCUMENT = createDocument({
  openapi: '3.1.0',
  info: {
    title: 'whatsapp-webrtc-bot API',
    version: '1.0.0',
    description:
      'Create private 1:1 video calls and invite people to them on WhatsApp. Authenticate with ' +
      '`Authorization: Bearer <API key>` (keys: `npm run keys -- create`). Errors: docs/errors.md.',
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: wwb_<id>_<secret>' },
    },
  },
  security: [{ apiKey: [] }],
  paths: {
    '/api/v1/calls': {
      post: {
        summary: 'Create a call',
        description:
          'Creates a call between a host and a guest, and invites them on WhatsApp by the 24-hour window and ' +
          'template rules. With Idempotency-Key, the same key and body within 24 hours return the same call.',
        requestParams: {
          header: z.object({
            'idempotency-key': z.string().max(255).optional().meta({ description: 'Makes retries safe' }),
          }),
        },
        requestBody: json(createCallBodySchema),
        responses: {
          '201': { description: 'The call, with each person’s link', ...json(createdCallSchema) },
          ...ERRORS,
          '422': error('API_REQUEST_INVALID, or IDEMPOTENCY_KEY_REUSED with another body'),
        },
      },
      get: {
        summary: 'List calls, newest first',
        requestParams: { query: listQuerySchema },
        responses: { '200': { description: 'A page of calls', ...json(callListSchema) }, ...ERRORS },
      },
    },
    '/api/v1/calls/{id}': {
      get: {
        summary: 'Read a call',
        requestParams: { path: callIdSchema },
        responses: {
          '200': { description: 'The call', ...json(callSchema) },
          '404': error('CALL_NOT_FOUND'),
          ...ERRORS,
        },
      },
    },
    '/api/v1/calls/{id}/cancel': {
      post: {
        summary: 'Cancel a call',
        description:
          'Its links stop working (the page says so); people sent their link are told, inside their window.',
        requestParams: { path: callIdSchema },
        responses: {
          '200': { description: 'The cancelled call', ...json(callSchema) },
          '404': error('CALL_NOT_FOUND'),
          '409': error('CALL_NOT_CANCELLABLE'),
          ...ERRORS,
        },
      },
    },
    '/api/v1/calls/{id}/reschedule': {
      post: {
        summary: 'Move a booked call to another time',
        description:
          'Its links keep working from the new opening (15 minutes before) for as long after the new time as before; people sent their link are told the new time, inside their window; a call.rescheduled event follows.',
        requestParams: { path: callIdSchema },
        requestBody: json(rescheduleBodySchema),
        responses: {
          '200': { description: 'The moved call', ...json(callSchema) },
          '404': error('CALL_NOT_FOUND'),
          '409': error('CALL_NOT_RESCHEDULABLE'),
          ...ERRORS,
        },
      },
    },
  },
});

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A readable page of the document: each operation, its answers, and the schemas as JSON. */
function referencePage(): string {
  const operations = Object.entries(OPENAPI_DOCUMENT.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item ?? {}).map(([method, operation]) => {
      const op = operation as {
        summary?: string;
        description?: string;
        responses?: Record<string, { description?: string }>;
      };
      const answers = Object.entries(op.responses ?? {})
        .map(([status, answer]) => `<li><code>${status}</code> ${escape(answer.description ?? '')}</li>`)
        .join('');
      return `<section><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2><p><strong>${escape(op.summary ?? '')}</strong> ${escape(op.description ?? '')}</p><ul>${answers}</ul></section>`;
    }),
  );
  const schemas = escape(JSON.stringify(OPENAPI_DOCUMENT.components?.schemas ?? {}, null, 2));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>API · whatsapp-webrtc-bot</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}pre{overflow:auto;background:#f4f4f4;padding:1rem}code{background:#f4f4f4}</style></head>
<body><h1>${escape(OPENAPI_DOCUMENT.info.title)} ${escape(OPENAPI_DOCUMENT.info.version)}</h1><p>${escape(OPENAPI_DOCUMENT.info.description ?? '')}</p>
<p><a href="/api/v1/openapi.json">openapi.json</a> · examples: docs/api.md</p>${operations.join('')}<h2>Schemas</h2><pre>${schemas}</pre></body></html>`;
}

/** `GET /api/v1/openapi.json` and `GET /api/v1/docs`, open to anyone (they hold no secret). */
export function openApiRoute(app: FastifyInstance): Promise<void> {
  const page = referencePage();
  app.get('/api/v1/openapi.json', () => OPENAPI_DOCUMENT);
  app.get('/api/v1/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  return Promise.resolve();
}
