// The README rows of the dashboard benchmark (bench/dashboard-queries.ts).

type Timing = { p50Ms: number; p99Ms: number };

export interface DashboardResults {
  readonly calls: number;
  readonly runs: number;
  readonly seedSeconds: { sqlite: number; postgres: number };
  readonly sqlite: { consistent: boolean; queries: Record<string, Timing> };
  readonly postgres: { consistent: boolean; queries: Record<string, Timing> };
}

const EXPORT = 'CSV export of 30 days (every call)';

/** One row per backend: every query's p50/p99, the slowest p99 against the target; then the CSV export. */
export function dashboardRows(results: DashboardResults): string[][] {
  return (['sqlite', 'postgres'] as const).flatMap((backend) => {
    const { consistent, queries } = results[backend];
    const name = backend === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const timed = Object.entries(queries).filter(([query]) => query !== EXPORT);
    const worst = Math.max(...timed.map(([, timing]) => timing.p99Ms));
    const exported = queries[EXPORT];
    return [
      [
        `dashboard queries, ${name}, ${results.calls.toLocaleString('en')} calls over a year (30-day range, ${results.runs} runs each)`,
        `${timed.map(([query, t]) => `${query}: ${t.p50Ms}/${t.p99Ms} ms`).join('; ')}; counts match the calls: ${consistent ? 'yes' : 'no'}`,
        'every query p99 ≤ 100 ms',
        worst <= 100 && consistent ? 'met' : '**not met**',
      ],
      ...(exported === undefined
        ? []
        : [
            [
              `dashboard CSV export, ${name}, 30 days (~${Math.round((results.calls * 30) / 365).toLocaleString('en')} calls)`,
              `p50 ${exported.p50Ms} ms, max of 3 ${exported.p99Ms} ms`,
              'report',
              '',
            ],
          ]),
    ];
  });
}
