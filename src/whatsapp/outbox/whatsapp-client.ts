import type { MessageContent } from './outbox.js';

/** Sends one message through WhatsApp. Rejects with a SendError. */
export interface WhatsAppClient {
  send(request: SendRequest): Promise<{ readonly wamid: string }>;
  /**
   * Marks a received message read (two blue ticks) and shows the person that a reply is being typed, until it
   * arrives or for 25 s. Clients without a real chat (the sandbox) have none.
   */
  markReadTyping?(messageId: string): Promise<void>;
}

/** One message to one person. `to` is a number in digits or, for username-only people, their user id. */
export interface SendRequest {
  /** The line it leaves from (a Cloud API client is one line's; the sandbox shows it). */
  readonly line: string;
  readonly to: string;
  readonly content: MessageContent;
  /** Comes back in status webhooks as biz_opaque_callback_data, to tie reports to this message. */
  readonly correlationId: string;
}

// Error codes that can succeed later (rate limits, transient faults); everything else is final.
const RETRYABLE_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057]);

/** Why a send failed, classified by the Graph API error code rather than the HTTP status. */
export class SendError extends Error {
  readonly retryable: boolean;
  constructor(
    message: string,
    readonly details: {
      readonly code?: number | undefined;
      readonly httpStatus?: number | undefined;
      readonly fbtraceId?: string | undefined;
      /** 'network' covers refused connections, resets and timeouts. */
      readonly kind: 'api' | 'network';
    },
  ) {
    super(message);
    this.name = 'SendError';
    const { code, httpStatus, kind } = details;
    // A 5xx is the server's own trouble and a 429 a request to slow down, whatever code they carry; otherwise
    // the code decides, not the status.
    this.retryable =
      kind === 'network' ||
      (httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429)) ||
      (code !== undefined && RETRYABLE_CODES.has(code));
  }
}

/** `to` for numbers, `recipient` for WhatsApp user ids (which contain letters). */
export function recipientField(to: string): { to: string } | { recipient: string } {
  return /^\d+$/.test(to) ? { to } : { recipient: to };
}
