/**
 * The catalogue of coded errors. Codes are stable: pages, operators and docs/errors.md rely on them.
 * `status` is the HTTP answer; `closeCode` (4000-4999) is used when the error ends a signaling socket.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, closeCode: 4400, message: 'The request is malformed.' },
  NOT_FOUND: { status: 404, closeCode: 4404, message: 'Nothing here.' },
  PAYLOAD_TOO_LARGE: { status: 413, closeCode: 4413, message: 'The request body is too large.' },
  REQUEST_TIMEOUT: { status: 408, closeCode: 4408, message: 'The request took too long to arrive.' },
  HEADERS_TOO_LARGE: {
    status: 431,
    closeCode: 4431,
    message: 'The request line or headers are too large.',
  },
  WEBHOOK_SIGNATURE_MISSING: {
    status: 401,
    closeCode: 4401,
    message: 'The X-Hub-Signature-256 header is missing.',
  },
  WEBHOOK_SIGNATURE_INVALID: {
    status: 401,
    closeCode: 4401,
    message: 'The X-Hub-Signature-256 header does not match the body.',
  },
  WEBHOOK_PAYLOAD_INVALID: {
    status: 400,
    closeCode: 4400,
    message: 'The webhook body is not a WhatsApp Business Account notification.',
  },
  WEBHOOK_VERIFICATION_FAILED: {
    status: 403,
    closeCode: 4403,
    message: 'The verification request does not match the configured verify token.',
  },
  ROOM_NOT_FOUND: { status: 404, closeCode: 4404, message: 'This call does not exist.' },
  ROOM_EXPIRED: { status: 410, closeCode: 4410, message: 'This call has expired.' },
  ROOM_CANCELLED: { status: 410, closeCode: 4411, message: 'This call was cancelled.' },
  ROOM_NOT_OPEN: {
    status: 409,
    closeCode: 4425,
    message: 'This call has not opened yet: a booked call opens 15 minutes before its time.',
  },
  SEAT_KEY_INVALID: {
    status: 403,
    closeCode: 4403,
    message: 'This link is not valid for this call.',
  },
  SEAT_TAKEN: {
    status: 409,
    closeCode: 4409,
    message: 'Someone is already in the call with this link.',
  },
  SEAT_REPLACED: {
    status: 409,
    closeCode: 4001,
    message: 'This link was opened in another tab or device.',
  },
  MESSAGE_INVALID: {
    status: 400,
    closeCode: 4400,
    message: 'The signaling message is not valid JSON of a known type.',
  },
  MESSAGE_TOO_LARGE: {
    status: 413,
    closeCode: 4413,
    message: 'The signaling message is larger than 64 KB.',
  },
  SERVER_RESTARTING: {
    status: 503,
    closeCode: 4503,
    message: 'The server is restarting; reconnect in a moment.',
  },
  METRICS_UNAUTHORIZED: {
    status: 401,
    closeCode: 4401,
    message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.',
  },
  NOT_READY: {
    status: 503,
    closeCode: 4503,
    message: 'The service is not ready: its storage does not answer.',
  },
  OUTBOX_STUCK: {
    status: 503,
    closeCode: 4503,
    message: 'Outgoing messages have been waiting for more than five minutes.',
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    closeCode: 4503,
    message: 'Storage is unavailable for a moment; try again.',
  },
  API_KEY_MISSING: {
    status: 401,
    closeCode: 4401,
    message: 'This API needs Authorization: Bearer <API key>.',
  },
  API_KEY_INVALID: { status: 401, closeCode: 4401, message: 'The API key is not valid.' },
  API_SCOPE_MISSING: { status: 403, closeCode: 4403, message: 'The API key may not do this (its scope).' },
  API_LINE_FORBIDDEN: { status: 403, closeCode: 4403, message: 'The API key may not use this line.' },
  API_REQUEST_INVALID: { status: 422, closeCode: 4400, message: 'The request does not match the API.' },
  API_RATE_LIMITED: {
    status: 429,
    closeCode: 4429,
    message: 'Too many requests with this API key; retry after the time in Retry-After.',
  },
  CALL_NOT_FOUND: { status: 404, closeCode: 4404, message: 'No call with this id for this API key.' },
  CALL_NOT_CANCELLABLE: {
    status: 409,
    closeCode: 4409,
    message: 'The call can no longer be cancelled: it expired or was cancelled before.',
  },
  CALL_NOT_RESCHEDULABLE: {
    status: 409,
    closeCode: 4409,
    message: 'Only a booked call that is not cancelled and whose links have not run out can be moved.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    closeCode: 4400,
    message: 'This Idempotency-Key was used with another request body.',
  },
  ADMIN_SIGN_IN_REQUIRED: {
    status: 401,
    closeCode: 4401,
    message: 'Sign in to the dashboard first (your session may have ended).',
  },
  ADMIN_PASSWORD_NOT_SET: {
    status: 409,
    closeCode: 4409,
    message: 'No operator password is set: run `npm run operator -- set-password` on the server.',
  },
  ADMIN_LOGIN_FAILED: { status: 401, closeCode: 4401, message: 'Wrong password.' },
  ADMIN_LOGIN_RATE_LIMITED: {
    status: 429,
    closeCode: 4429,
    message: 'Too many sign-in attempts; retry after the time in Retry-After.',
  },
  ADMIN_CSRF_FAILED: {
    status: 403,
    closeCode: 4403,
    message: 'The request did not come from the dashboard itself (missing or wrong CSRF token or origin).',
  },
  INTERNAL: { status: 500, closeCode: 4500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; closeCode: number; message: string }>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof ERRORS;

/** The JSON body of every HTTP error and the payload of every signaling error. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
}

/** An error the service means to report to its caller with a code from the catalogue. */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
  ) {
    super(detail ?? ERRORS[code].message);
    this.name = 'AppError';
    this.statusCode = ERRORS[code].status;
  }

  /** The body that leaves the service: never more than the code and its public message. */
  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}
