import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { JobLock } from '../../calls/periodic-jobs.js';
import type { Line } from '../../config.js';
import { everyFewSeconds } from './follow-up-job.js';
import { runReminders, type ReminderState } from './reminders.js';
import { runSummaries } from './summaries.js';

/**
 * Looks every 15 s for booked calls starting within `beforeMs` and reminds both people (runReminders), and for
 * calls that ended or whose invitee never came, and tells their inviter (runSummaries).
 */
export const remindersPlugin = fp(
  (
    app: FastifyInstance,
    options: { state: ReminderState & JobLock; lines: readonly Line[]; beforeMs: number; now: () => number },
  ) => {
    everyFewSeconds(app, {
      name: 'reminders',
      intervalMs: 15_000,
      lock: options.state,
      run: () => runReminders(options.state, options.lines, options.beforeMs, options.now()),
    });
    everyFewSeconds(app, {
      name: 'summaries',
      intervalMs: 15_000,
      lock: options.state,
      run: () => runSummaries(options.state, options.lines, options.now()),
    });
    return Promise.resolve();
  },
  { name: 'reminders', dependencies: ['outbox-worker'] },
);
