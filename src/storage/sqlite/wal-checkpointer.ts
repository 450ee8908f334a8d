import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the write-ahead log is copied back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1_000;
/**
 * A log this large (in 4 KB pages) that passive checkpoints cannot empty, because writes never pause, is
 * emptied once with writers held back; about 64 MB.
 */
const RESTART_ABOVE_PAGES = 16_384;

// The worker is plain CommonJS, given as source, so that it runs the same from dist/ and under tsx.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
const checkpoint = () => {
  try {
    let [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.log > workerData.restartAbovePages) [result] = db.pragma('wal_checkpoint(RESTART)');
    parentPort.postMessage({ type: 'checkpoint', ...result });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** What a checkpoint did: pages in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

/**
 * Checkpoints the database's write-ahead log from a worker thread with its own connection. SQLite's automatic
 * checkpoint runs inside whichever commit crosses the threshold, fsync included, on the event loop: it was the
 * larger part of the webhook answers' latency tail. Passive checkpoints never block the writer.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  #stopped: Promise<void> | undefined;

  constructor(file: string, onResult?: (result: CheckpointResult | { error: string }) => void) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: CHECKPOINT_INTERVAL_MS,
        restartAbovePages: RESTART_ABOVE_PAGES,
      },
    });
    this.#worker.unref();
    this.#worker.on('message', (message: { type: string; message?: string } & CheckpointResult) => {
      onResult?.(message.type === 'error' ? { error: message.message ?? '' } : message);
    });
    this.#worker.on('error', (error) => onResult?.({ error: String(error) }));
  }

  /** Stops checkpointing; the connection that closes last checkpoints what remains. */
  stop(): Promise<void> {
    this.#stopped ??= new Promise<void>((resolve) => {
      // Held by this process until it has closed its connection.
      this.#worker.ref();
      this.#worker.once('exit', () => resolve());
      this.#worker.postMessage('stop');
    });
    return this.#stopped;
  }
}
