import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { JobLock } from '../../calls/periodic-jobs.js';
import { everyFewSeconds } from './follow-up-job.js';
import { runNudges, type LineLanguage, type NudgeState } from './nudges.js';

/**
 * Looks every 15 s for people waiting alone in a room for `afterMs`, and tells the other one (runNudges): the
 * message leaves at most 15 s after that.
 */
export const nudgesPlugin = fp(
  (
    app: FastifyInstance,
    options: { state: NudgeState & JobLock; now: () => number; lineLanguage: LineLanguage; afterMs: number },
  ) => {
    everyFewSeconds(app, {
      name: 'nudges',
      intervalMs: 15_000,
      lock: options.state,
      run: () => runNudges(options.state, options.now(), options.lineLanguage, options.afterMs),
    });
    return Promise.resolve();
  },
  { name: 'nudges', dependencies: ['outbox-worker'] },
);
