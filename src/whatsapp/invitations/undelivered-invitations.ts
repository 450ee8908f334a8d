import type { MessageLedger } from '../../calls/message-ledger.js';
import { textContent } from './message-content.js';
import type { OutboxEntry } from '../outbox/outbox.js';
import { textsFor } from './texts.js';
import { undeliveredReason } from '../../protocol/dashboard.js';

export { undeliveredReason };

/**
 * When an invitation fails for good (a final error on send, or a `failed` status webhook), tells the inviter
 * once, with the reason and the wa.me link to send it themselves. The notice's ledger key is derived from the
 * invitation, so duplicate or repeated failure reports add nothing. Returns whether a notice was queued.
 */
export async function reportUndelivered(
  ledger: MessageLedger,
  entry: OutboxEntry,
  errorCode: number | undefined,
  nowMs: number,
): Promise<boolean> {
  if (entry.kind !== 'invitation' || entry.context === undefined) return false;
  const { inviter, inviterLanguage, inviteeLabel, forwardUrl } = entry.context;
  const id = `${entry.id}:undelivered`;
  const body = textsFor(inviterLanguage).undelivered(inviteeLabel, undeliveredReason(errorCode), forwardUrl);
  return ledger.commit(
    id,
    {
      rooms: [],
      messages: [
        {
          id,
          kind: 'failure-notice',
          line: entry.line,
          to: inviter,
          roomId: entry.roomId,
          content: textContent(body),
        },
      ],
    },
    nowMs,
  );
}
