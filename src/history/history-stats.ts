import { DURATION_EDGES_MS, SETUP_EDGES_MS } from '../protocol/dashboard.js';
import type { Statement } from './history-writes.js';

// The dashboard's figures are kept counted per line and hour (of each call's creation), beside the calls: a
// change to a call moves its counts from what it was to what it is, in the same transaction. A month's plots
// then read a few thousand rows, however many calls there were; the calls themselves are read only for the
// recent-calls table and a call's detail.

const HOUR_MS = 3_600_000;

/** The counters of a (line, hour): columns of call_stats. */
export const STAT_COLUMNS = [
  'created',
  'connected',
  'failed',
  'declined',
  'cancelled',
  'relayed',
  'invited',
  'sent',
  'delivered',
  'read',
  'joined',
  ...SETUP_EDGES_MS.map((_, index) => `setup_${index}`),
  `setup_${SETUP_EDGES_MS.length}`,
  ...DURATION_EDGES_MS.map((_, index) => `duration_${index}`),
  `duration_${DURATION_EDGES_MS.length}`,
] as const;

/** A call as the counters see it: the history row's columns they depend on. */
export type CountedCall = Readonly<Record<string, unknown>>;

/** How many rows an hour's counts are spread over, so that concurrent changes seldom wait for one another. */
export const STAT_SLOTS = 8;

/** The slot of a call's counts: from its id, so that all its changes land in the same one. */
export function slotOf(roomId: string): number {
  let hash = 0;
  for (let i = 0; i < roomId.length; i++) hash = (hash * 31 + roomId.charCodeAt(i)) >>> 0;
  return hash % STAT_SLOTS;
}

/** The hour a call is counted in. */
export function hourOf(createdAtMs: number): number {
  return Math.floor(createdAtMs / HOUR_MS);
}

function bar(value: number, edges: readonly number[]): number {
  const index = edges.findIndex((edge) => value < edge);
  return index === -1 ? edges.length : index;
}

const present = (value: unknown) => value !== null && value !== undefined;

/** What one call adds to its hour: counters, its failure code, its people's browsers. */
export function contributions(call: CountedCall): {
  counters: Map<string, number>;
  failures: Map<number, number>;
  agents: Map<string, number>;
} {
  const counters = new Map<string, number>();
  const add = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  const connected = present(call.connected_at);
  add(counters, 'created');
  if (connected) add(counters, 'connected');
  if (present(call.failure_code) && !connected) add(counters, 'failed');
  if (present(call.declined_at)) add(counters, 'declined');
  if (present(call.cancelled_at)) add(counters, 'cancelled');
  if (call.path === 'relay') add(counters, 'relayed');
  const failures = new Map<number, number>();
  if (present(call.failure_code)) add(failures, Number(call.failure_code));
  const agents = new Map<string, number>();
  for (const p of ['host', 'guest']) {
    const state = call[`${p}_invitation`];
    if (present(state)) {
      add(counters, 'invited');
      if (state === 'sent' || state === 'delivered' || state === 'read') add(counters, 'sent');
      if (state === 'delivered' || state === 'read') add(counters, 'delivered');
      if (state === 'read') add(counters, 'read');
      if (present(call[`${p}_joined_at`])) add(counters, 'joined');
    }
    if (present(call[`${p}_browser`])) {
      add(agents, JSON.stringify([call[`${p}_browser`], call[`${p}_platform`] ?? 'Other']));
    }
  }
  if (present(call.setup_ms)) add(counters, `setup_${bar(Number(call.setup_ms), SETUP_EDGES_MS)}`);
  if (connected && present(call.ended_at)) {
    add(counters, `duration_${bar(Number(call.ended_at) - Number(call.connected_at), DURATION_EDGES_MS)}`);
  }
  return { counters, failures, agents };
}

function difference<K>(after: Map<K, number>, before: Map<K, number> | undefined): [K, number][] {
  const keys = new Set([...after.keys(), ...(before?.keys() ?? [])]);
  return [...keys]
    .map((key): [K, number] => [key, (after.get(key) ?? 0) - (before?.get(key) ?? 0)])
    .filter(([, delta]) => delta !== 0);
}

/**
 * The statements that move a call's counts from `before` (undefined for a new call) to `after`; none when
 * nothing counted changed.
 */
export function statsDelta(before: CountedCall | undefined, after: CountedCall): Statement[] {
  const line = after.line as string;
  const hour = hourOf(Number(after.created_at));
  const slot = slotOf(after.room_id as string);
  const old = before === undefined ? undefined : contributions(before);
  const now = contributions(after);
  const statements: Statement[] = [];
  const counters = difference(now.counters, old?.counters);
  if (counters.length > 0) {
    const columns = counters.map(([column]) => column);
    statements.push({
      sql: `INSERT INTO call_stats (line, hour, slot, ${columns.join(', ')}) VALUES (?, ?, ?, ${columns.map(() => '?').join(', ')})
            ON CONFLICT (hour, line, slot) DO UPDATE SET ${columns.map((c) => `${c} = call_stats.${c} + excluded.${c}`).join(', ')}`,
      params: [line, hour, slot, ...counters.map(([, delta]) => delta)],
    });
  }
  for (const [code, delta] of difference(now.failures, old?.failures)) {
    statements.push({
      sql: `INSERT INTO call_failures (line, hour, slot, code, calls) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (hour, line, slot, code) DO UPDATE SET calls = call_failures.calls + excluded.calls`,
      params: [line, hour, slot, code, delta],
    });
  }
  for (const [agent, delta] of difference(now.agents, old?.agents)) {
    const [browser, platform] = JSON.parse(agent) as [string, string];
    statements.push({
      sql: `INSERT INTO call_agents (line, hour, slot, browser, platform, people) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (hour, line, slot, browser, platform) DO UPDATE SET people = call_agents.people + excluded.people`,
      params: [line, hour, slot, browser, platform, delta],
    });
  }
  return statements;
}
