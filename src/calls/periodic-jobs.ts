// Periodic work (maintenance, nudges) that one instance at a time does: with several instances sharing the
// state, each would otherwise repeat it. Their effects are idempotent anyway; the lock saves the repeated work.

/** Runs a periodic job where no other run of it is under way. */
export interface JobLock {
  /**
   * Runs `work` unless this job is running now, in this process or another instance; resolves to its result,
   * or undefined when it did not run. A run that dies with its process frees the job.
   */
  exclusively<T>(job: string, work: () => Promise<T>): Promise<T | undefined>;
}

/** The lock of a single process. */
export class InProcessJobLock implements JobLock {
  readonly #running = new Set<string>();

  async exclusively<T>(job: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.#running.has(job)) return undefined;
    this.#running.add(job);
    try {
      return await work();
    } finally {
      this.#running.delete(job);
    }
  }
}
