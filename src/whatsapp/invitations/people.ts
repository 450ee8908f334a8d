import type { Language } from '../../protocol/language.js';

/**
 * What the bot remembers about each person who wrote to it: when they last did. WhatsApp lets a business send
 * free-form messages to a person only within 24 hours of that person's last message (the customer-service
 * window). Written together with each handled message (MessageLedger).
 */
export interface PeopleStore {
  /**
   * When `person` (a number or a user id) last wrote to the bot on `line`, and the language they chose there,
   * if any. A window is a person's and a line's: writing to one number opens nothing on another.
   */
  get(person: string, line: string): Promise<Person | undefined>;
  /**
   * The person's other identity on `line`: their user id for a number, their number for a user id, once a
   * message carried both. `get` already reads both.
   */
  linked(person: string, line: string): Promise<string | undefined>;
}

/** What is known of one person under several identities: the latest message wins, and the latest choice. */
export function mergePerson(rows: readonly Person[]): Person | undefined {
  const byTime = [...rows].sort((a, b) => b.lastInboundAtMs - a.lastInboundAtMs);
  const latest = byTime[0];
  if (latest === undefined) return undefined;
  return {
    lastInboundAtMs: latest.lastInboundAtMs,
    language: byTime.find((row) => row.language !== undefined)?.language,
  };
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
