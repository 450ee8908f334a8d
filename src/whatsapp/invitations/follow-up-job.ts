import type { FastifyInstance } from 'fastify';
import type { JobLock } from '../../calls/periodic-jobs.js';

/**
 * Runs a job that queues messages on its own (nudges, reminders) every `intervalMs` once the app is ready, one
 * instance at a time, waking the outbox worker when it queued something; stops before the app closes.
 */
export function everyFewSeconds(
  app: FastifyInstance,
  job: { name: string; intervalMs: number; lock: JobLock; run: () => Promise<number> },
): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', () => {
    timer = setInterval(() => {
      // One instance at a time; the others find the job taken and skip their turn.
      job.lock.exclusively(job.name, job.run).then(
        (queued) => {
          if (queued !== undefined && queued > 0) app.outboxWorker.kick();
        },
        (error: unknown) => app.log.error({ err: error }, `${job.name} failed`),
      );
    }, job.intervalMs);
    timer.unref();
  });
  app.addHook('preClose', () => clearInterval(timer));
}
