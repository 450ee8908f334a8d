// Meta's throughput limit is per business number, not per process: the sends every instance makes count
// against one budget. Here it is a token bucket: a token a send, refilled at the limit's rate, one second's worth
// at most. One process keeps it in memory; several share one in Redis (redis-send-budget.ts).

/** What asking the budget for sends got. */
export interface BudgetGrant {
  readonly granted: number;
  /** When nothing was granted: how long until a send can be. */
  readonly retryInMs: number;
}

/** The sends the business number may make now. */
export interface SendBudget {
  /** Takes up to `wanted` sends. */
  take(wanted: number): Promise<BudgetGrant>;
  /** Returns sends taken but not made (fewer messages were due). */
  giveBack(count: number): Promise<void>;
}

/** The budget of a single process. */
export class LocalSendBudget implements SendBudget {
  #tokens: number;
  #atMs: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = perSecond;
    this.#atMs = now();
  }

  take(wanted: number): Promise<BudgetGrant> {
    const nowMs = this.now();
    this.#tokens = Math.min(this.perSecond, this.#tokens + ((nowMs - this.#atMs) / 1000) * this.perSecond);
    this.#atMs = nowMs;
    const granted = Math.max(0, Math.min(wanted, Math.floor(this.#tokens)));
    this.#tokens -= granted;
    const retryInMs = granted > 0 ? 0 : Math.ceil(((1 - this.#tokens) * 1000) / this.perSecond);
    return Promise.resolve({ granted, retryInMs });
  }

  giveBack(count: number): Promise<void> {
    this.#tokens += count;
    return Promise.resolve();
  }
}
