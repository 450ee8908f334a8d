import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { JobLock } from '../../calls/periodic-jobs.js';
import { runNudges, type LineLanguage, type NudgeState } from './nudges.js';

const NUDGE_CHECK_INTERVAL_MS = 30_000;

/** Looks every 30 s for people waiting alone in a room, and reminds the other one (runNudges). */
export const nudgesPlugin = fp(
  (
    app: FastifyInstance,
    options: { state: NudgeState & JobLock; now: () => number; lineLanguage: LineLanguage },
  ) => {
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', () => {
      timer = setInterval(() => {
        // One instance at a time; the others find the job taken and skip their turn.
        options.state
          .exclusively('nudges', () => runNudges(options.state, options.now(), options.lineLanguage))
          .then(
            (queued) => {
              if (queued !== undefined && queued > 0) app.outboxWorker.kick();
            },
            (error: unknown) => app.log.error({ err: error }, 'nudges failed'),
          );
      }, NUDGE_CHECK_INTERVAL_MS);
      timer.unref();
    });
    app.addHook('preClose', () => clearInterval(timer));
    return Promise.resolve();
  },
  { name: 'nudges', dependencies: ['outbox-worker'] },
);
