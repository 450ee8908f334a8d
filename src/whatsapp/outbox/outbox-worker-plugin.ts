import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Outbox, OutboxEntry } from './outbox.js';
import { OutboxWorker, type OutboxWorkerSettings } from './outbox-worker.js';
import type { SendError, WhatsAppClient } from './whatsapp-client.js';
import type { SendBudget } from './send-budget.js';

/** What one line sends with. */
export interface LineSender {
  readonly line: string;
  readonly client: WhatsAppClient;
  /** The line's own throughput cap, and sends under way at most. */
  readonly settings: Partial<OutboxWorkerSettings>;
  /** Shared by the instances sending for the number; each process keeps its own when absent. */
  readonly budget?: SendBudget | undefined;
  /** Settings nothing overrides (a test's timings included). */
  readonly required?: Partial<OutboxWorkerSettings> | undefined;
  /**
   * After this many messages in a row failed for good, the line stops sending (until a restart): an event
   * endpoint that keeps failing. What it had not sent stays stored, and is sent once it runs again.
   */
  readonly stopAfterFailures?: number | undefined;
}

/** The outbox workers of every line, started and stopped together. */
export class OutboxWorkers {
  constructor(readonly workers: readonly OutboxWorker[]) {}

  /** Looks for due messages now (after new ones were committed), on every line. */
  kick(): void {
    for (const worker of this.workers) worker.kick();
  }

  async start(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.start()));
  }

  /** Stops taking new messages and waits for the sends already under way. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends the outbox; kick it after committing new messages. */
    outboxWorker: OutboxWorkers;
  }
}

/**
 * One worker per line, each sending that line's messages with its client under its throughput cap. Starts
 * sending once the app is ready; on close, finishes the sends under way before storage closes.
 */
export const outboxWorkerPlugin = fp(
  (
    app: FastifyInstance,
    options: {
      outbox: Outbox;
      lines: readonly LineSender[];
      settings: OutboxWorkerSettings;
      now: () => number;
      /** What a message that failed for good leads to; true when it queued new messages to send. */
      onFailedForGood?: (entry: OutboxEntry, errorCode: number | undefined) => Promise<boolean>;
      /** Hears of each message sent (invitation events); true when it queued new messages to send. */
      onSent?: (entry: OutboxEntry) => Promise<boolean>;
    },
  ) => {
    const { metrics } = app;
    const graphError = (entry: OutboxEntry, failure: SendError) =>
      metrics.graphApiErrors.inc({
        line: entry.line,
        code: String(failure.details.code ?? failure.details.httpStatus ?? 'network'),
      });
    const outgoing = (entry: OutboxEntry, outcome: 'sent' | 'retry' | 'failed') =>
      metrics.outgoing.inc({ line: entry.line, kind: entry.kind, outcome });
    // Failures in a row per line, for the lines that stop after some.
    const failures = new Map<string, number>();
    const stopIfFailing = (sender: LineSender, worker: () => OutboxWorker | undefined) => {
      const count = (failures.get(sender.line) ?? 0) + 1;
      failures.set(sender.line, count);
      if (sender.stopAfterFailures === undefined || count !== sender.stopAfterFailures) return;
      metrics.linesDisabled.set({ line: sender.line }, 1);
      app.log.error(
        { code: 'OUTBOX_LINE_STOPPED', line: sender.line, failures: count },
        'outbox: this line failed again and again and stops sending until a restart; what it holds is kept',
      );
      void worker()?.stop();
    };
    const workers: OutboxWorker[] = options.lines.map(
      (sender, index) =>
        new OutboxWorker(
          options.outbox,
          sender.client,
          app.log,
          { ...options.settings, ...sender.settings, line: sender.line },
          options.now,
          {
            sent: (entry) => {
              failures.delete(sender.line);
              outgoing(entry, 'sent');
              void options.onSent?.(entry).then(
                (queued) => queued && all.kick(),
                (error: unknown) =>
                  app.log.error({ err: error, outboxId: entry.id }, 'outbox: follow-up failed'),
              );
            },
            retrying: (entry, failure) => {
              outgoing(entry, 'retry');
              graphError(entry, failure);
            },
            // A failed invitation becomes a notice to the inviter, which its line's worker then sends.
            failedForGood: async (entry, failure) => {
              outgoing(entry, 'failed');
              graphError(entry, failure);
              stopIfFailing(sender, () => workers[index]);
              if (await options.onFailedForGood?.(entry, failure.details.code)) all.kick();
            },
          },
          sender.budget,
        ),
    );
    const all = new OutboxWorkers(workers);
    app.decorate('outboxWorker', all);
    app.addHook('onReady', () => all.start());
    app.addHook('preClose', () => all.stop());
    return Promise.resolve();
  },
  { name: 'outbox-worker', dependencies: ['metrics'] },
);
