import type { Language } from '../../protocol/language.js';

/**
 * What the bot remembers about each person who wrote to it: when they last did. WhatsApp lets a business send
 * free-form messages to a person only within 24 hours of that person's last message (the customer-service
 * window). Written together with each handled message (MessageLedger).
 */
export interface PeopleStore {
  /** When `person` (a number or a user id) last wrote to the bot, and the language they chose, if any. */
  get(person: string): Promise<Person | undefined>;
}

/** What the bot remembers about one person. */
export interface Person {
  readonly lastInboundAtMs: number;
  /** Set when the person asked for a language ("english", "español"); otherwise their number decides. */
  readonly language: Language | undefined;
}

const WINDOW_MS = 24 * 3_600_000;
/** Sends take time to leave the outbox; a window about to close counts as closed. */
const WINDOW_MARGIN_MS = 10 * 60_000;

/** Whether a free-form message to someone who last wrote at `lastInboundAtMs` is allowed now. */
export function isWindowOpen(lastInboundAtMs: number | undefined, nowMs: number): boolean {
  return lastInboundAtMs !== undefined && nowMs - lastInboundAtMs < WINDOW_MS - WINDOW_MARGIN_MS;
}
