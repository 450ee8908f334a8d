import type { CallCommit, GuardedCall, MessageEffects, MessageLedger } from '../../calls/message-ledger.js';

/**
 * Ties the first message back to the sender to the message it answers: that one is marked read, with the typing
 * indicator, just before the answer leaves (one mark per message answered, whatever the plan's outcome).
 */
export function answering(plan: ReplyPlan, messageId: string, sender: string | undefined): ReplyPlan {
  const mark = (effects: MessageEffects): MessageEffects => {
    const first = effects.messages.findIndex((m) => m.to === sender);
    if (first < 0) return effects;
    const messages = effects.messages.map((m, i) => (i === first ? { ...m, answers: messageId } : m));
    return { ...effects, messages };
  };
  if (!('guard' in plan)) return mark(plan);
  const refusals = Object.fromEntries(
    Object.entries(plan.refusals).map(([reason, effects]) => [reason, mark(effects)]),
  ) as GuardedCall['refusals'];
  return { ...plan, effects: mark(plan.effects), refusals };
}

/** What a message leads to: effects to write, or a new call whose limits are checked as it is written. */
export type ReplyPlan = MessageEffects | GuardedCall;

/** What committing a plan did, and the effects it wrote (none for a duplicate). */
export interface CommittedReply {
  readonly outcome: 'handled' | CallCommit;
  readonly effects: MessageEffects | undefined;
}

/** Writes a plan exactly once through the ledger. */
export async function commitReply(
  ledger: MessageLedger,
  messageId: string,
  plan: ReplyPlan,
  nowMs: number,
): Promise<CommittedReply> {
  if (!('guard' in plan)) {
    const fresh = await ledger.commit(messageId, plan, nowMs);
    return { outcome: fresh ? 'handled' : 'duplicate', effects: fresh ? plan : undefined };
  }
  const outcome = await ledger.commitCall(messageId, plan, nowMs);
  if (outcome === 'duplicate') return { outcome, effects: undefined };
  return { outcome, effects: outcome === 'created' ? plan.effects : plan.refusals[outcome] };
}
