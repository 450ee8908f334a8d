import type { Config } from '../config.js';
import type { LineSender } from '../whatsapp/outbox/outbox-worker-plugin.js';
import { eventLine } from './call-events.js';
import { EventSender } from './event-sender.js';

/**
 * Event endpoints send like lines: each its own worker over the same outbox. One event at a time, so that an
 * endpoint gets a call's events in order while it answers; retried for about a day (up to an hour apart).
 */
export function eventSenders(config: Config, now: () => number): LineSender[] {
  return config.eventEndpoints.map((endpoint) => ({
    line: eventLine(endpoint),
    client: new EventSender(endpoint, now),
    settings: { maxSendsPerSecond: 50, retryMaxDelayMs: 3_600_000 },
    required: { maxInFlight: 1, maxAttempts: 40 },
    stopAfterFailures: 3,
  }));
}
