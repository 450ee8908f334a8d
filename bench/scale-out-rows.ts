// The scale-out rows of the results table: bench/scale-out.ts's figures, beside the single SQLite instance's
// measured in the same run.
import { round } from './processes.js';
import type { ScaleOutResults } from './scale-out.js';

type Row = [string, string, string, string];
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
/** Meta's highest throughput tier for one number, in messages per second. */
const HIGHEST_TIER = 1_000;

export function scaleOutRows(
  scale: ScaleOutResults,
  single: {
    rate200P99Ms: number;
    answeredPerSecond: number;
    sentPerSecond: number;
    relay100P50Ms?: number | undefined;
  },
): Row[] {
  const rows: Row[] = [];
  for (const w of scale.webhook ?? []) {
    rows.push([
      `webhook, ${w.instances} instance${w.instances > 1 ? 's' : ''} on PostgreSQL (fsync on) + Redis, round-robin`,
      `200/s: p50 ${round(w.rate200.p50Ms)} ms, p99 ${round(w.rate200.p99Ms)} ms (1 on SQLite: p99 ${round(single.rate200P99Ms)} ms); closed loop: ${round(w.closedLoop.perSecond, 0)} answered/s, ${round(w.closedLoop.sentPerSecond, 0)} answered and sent/s (1 on SQLite: ${round(single.answeredPerSecond, 0)} / ${round(single.sentPerSecond, 0)}); errors ${w.rate200.errors + w.closedLoop.errors}, lost ${w.lost}, duplicated ${w.duplicates}`,
      'report; no errors, no losses, no duplicates',
      verdict(w.rate200.errors + w.closedLoop.errors === 0 && w.lost === 0 && w.duplicates === 0),
    ]);
  }
  const r = scale.relay;
  if (r !== undefined) {
    const extra = r.crossInstance.p50Ms - r.sameInstance.p50Ms;
    rows.push([
      `signaling relay across instances (Redis), ${r.rooms} rooms each sending ${r.paceMs} ms after the answer, medians of ${r.rounds.length} rounds`,
      `both people on one instance: p50 ${round(r.sameInstance.p50Ms, 3)} / p99 ${round(r.sameInstance.p99Ms, 3)} ms; on two instances: p50 ${round(r.crossInstance.p50Ms, 3)} / p99 ${round(r.crossInstance.p99Ms, 3)} ms, +${round(extra, 3)} ms p50; closed loop: ${round(r.perSecond.same, 0)} rt/s on one instance, ${round(r.perSecond.cross, 0)} rt/s across two${single.relay100P50Ms === undefined ? '' : ` (one process without Redis, closed loop: p50 ${round(single.relay100P50Ms, 3)} ms)`}`,
      '≤ +2 ms p50',
      verdict(extra <= 2),
    ]);
  }
  const h = scale.hold;
  if (h !== undefined) {
    // From the settled RSS at the count reached, each further socket at the marginal cost measured.
    const projectedMb = h.rssSettledMb + (h.marginalKbPerSocket * (100_000 - h.opened)) / 1024;
    const complete = h.sockets >= 100_000;
    rows.push([
      `connection capacity with Redis presence, ${h.sockets.toLocaleString('en')} sockets on one instance, 15 s idle`,
      `${h.held}/${h.opened} held; RSS ${round(h.rssBeforeMb, 1)} → ${round(h.rssHalfMb, 1)} at half → ${round(h.rssSettledMb, 1)} MB settled (peak ${round(h.rssPeakMb, 1)}); each further socket ${round(h.marginalKbPerSocket, 1)} KB (${round(h.serviceKbPerSocket, 1)} KB on average), ${round(h.redisBytesPerSocket, 0)} bytes per socket in Redis${complete ? '' : `; open-file limit ${h.openFileLimit} here, so 100,000 is projected from the settled RSS and the further sockets' cost: ${round(projectedMb, 0)} MB`}`,
      'all held; RSS ≤ 1 GB at 100,000',
      complete
        ? verdict(h.held === h.opened && h.rssPeakMb <= 1024)
        : `${verdict(h.held === h.opened && projectedMb <= 1024)} (projected)`,
    ]);
  }
  for (const d of scale.drain ?? []) {
    rows.push([
      `outbox drain, ${d.messages.toLocaleString('en')} messages waiting, ${d.workers} worker${d.workers > 1 ? 's' : ''} on ${d.backend === 'postgres' ? 'PostgreSQL' : 'SQLite'} (Graph 150 ms, cap 1,000/s)`,
      `${round(d.sendsPerSecond, 0)} sends/s (10 % → 90 %), all sent ${round(d.allSentInMs / 1000, 1)} s after the start; lost ${d.lost}, duplicated ${d.duplicates}`,
      `≥ 90 % of ${HIGHEST_TIER.toLocaleString('en')}/s; none lost or twice`,
      verdict(d.sendsPerSecond >= HIGHEST_TIER * 0.9 && d.lost === 0 && d.duplicates === 0),
    ]);
  }
  return rows;
}
