// What every benchmark script shares: starting helper processes that answer in JSON lines, reading a process's
// CPU time and memory from /proc, and percentiles.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_APP_SECRET } from '../test/helpers/webhook-payloads.js';

export const root = path.resolve(import.meta.dirname, '..');

const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

/**
 * Starts `script` (TypeScript, through tsx) as a process; resolves with it and a reader of its JSON lines. A
 * process that answers nothing (`quiet`) writes its output to this one's stderr, so that its logs never fill
 * a pipe nobody reads.
 */
export function start(
  script: string,
  env: Record<string, string>,
  args: string[] = ['--import', 'tsx', script],
  quiet = false,
) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', quiet ? process.stderr : 'pipe', 'inherit'],
  });
  if (quiet) {
    children.push(child);
    const next = <T>(): Promise<T> => Promise.reject(new Error(`${script} answers nothing`));
    return { child, next };
  }
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const line = await lines.next();
    if (line.done) throw new Error(`${script} ended without an answer`);
    return JSON.parse(line.value) as T;
  };
  return { child, next };
}

/** Runs a load generator to its end and returns its last JSON line. */
export async function run<T>(script: string, env: Record<string, string>): Promise<T> {
  const { child, next } = start(script, env);
  const result = await next<T>();
  await new Promise((resolve) => child.once('exit', resolve));
  return result;
}

/** Resolves once the service at `baseUrl` answers /healthz (10 s at most). */
export async function healthy(baseUrl: string): Promise<void> {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (i > 200) throw new Error(`the service at ${baseUrl} did not start`);
    await sleep(50);
  }
}

/** Stops a process with SIGTERM and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** CPU time a process has used, user and system, in ms (from /proc; 10 ms resolution). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export type GraphStats = { sends: number; accepted: number; unique: number };

/** The fake Graph API (bench/fake-graph-server.ts) as its own process, answering every send after `delayMs`. */
export async function startGraph(delayMs = 150) {
  const graph = start('bench/fake-graph-server.ts', { DELAY_MS: String(delayMs) });
  const { baseUrl, statsUrl } = await graph.next<{ baseUrl: string; statsUrl: string }>();
  const stats = async () => (await (await fetch(statsUrl)).json()) as GraphStats;
  /**
   * Waits until the fake has accepted `expected` distinct sends (or 60 s pass), and says when; then waits a
   * second more, so that a send made twice would be counted.
   */
  const drained = async (expected: number) => {
    let doneAt = NaN;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
      if ((await stats()).unique >= expected) {
        doneAt = performance.now();
        break;
      }
    }
    await sleep(1_000);
    return { ...(await stats()), doneAt };
  };
  return { child: graph.child, baseUrl, stats, drained };
}

/** The service's environment in the benchmarks: Cloud API mode against the fake Graph API, on `port`. */
export function serviceEnv(
  port: number,
  graphUrl: string,
  env: Record<string, string>,
): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WHATSAPP_TOKEN: 'bench-token',
    WABA_PHONE_NUMBER_ID: '106540352242922',
    VERIFY_TOKEN: 'bench',
    APP_SECRET: TEST_APP_SECRET,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    GRAPH_API_BASE_URL: graphUrl,
    ICE_SERVERS_JSON: '[]',
    // The upgraded Cloud API tier, so that the benchmark measures the service rather than Meta's default limit.
    WHATSAPP_MAX_SENDS_PER_SECOND: '1000',
    ...env,
  };
}

/** What bench/webhook-load.ts prints. */
export type WebhookResult = {
  sent: number;
  ok: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
};
