// Connection quality from WebRTC statistics, with no DOM: the page samples getStats() every few seconds and
// shows the level; the numbers go in its label for whoever wants them.

/** What one getStats() call tells about what we receive. */
export interface StatsSample {
  readonly atMs: number;
  readonly bytesReceived: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** Round trip on the selected candidate pair, when the browser reports one. */
  readonly rttMs: number | undefined;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

export interface Quality {
  readonly level: QualityLevel;
  readonly rttMs: number | undefined;
  /** Share of packets lost since the previous sample, in percent. */
  readonly lossPercent: number;
  /** Received bitrate since the previous sample, all media together. */
  readonly kbps: number;
}

/** Above these, a call starts to feel it (ITU-T G.114 puts 150 ms one way, ~300 ms round trip, as the limit). */
const FAIR_RTT_MS = 250;
const POOR_RTT_MS = 500;
const FAIR_LOSS_PERCENT = 2;
const POOR_LOSS_PERCENT = 8;

interface StatsEntry {
  readonly type?: unknown;
  readonly [field: string]: unknown;
}

/** Anything with the RTCStatsReport forEach (the real report, or a plain Map in tests). */
export interface StatsSource {
  forEach(callback: (entry: StatsEntry) => void): void;
}

const number = (value: unknown): number => (typeof value === 'number' ? value : 0);

export function sampleStats(report: StatsSource, atMs: number): StatsSample {
  let bytesReceived = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let rttMs: number | undefined;
  let selectedPairId: unknown;
  const pairs = new Map<unknown, StatsEntry>();
  report.forEach((entry) => {
    if (entry.type === 'inbound-rtp') {
      bytesReceived += number(entry.bytesReceived);
      packetsReceived += number(entry.packetsReceived);
      packetsLost += number(entry.packetsLost);
    } else if (entry.type === 'transport') {
      selectedPairId = entry.selectedCandidatePairId;
    } else if (entry.type === 'candidate-pair') {
      pairs.set(entry.id, entry);
    }
  });
  // Chromium names the selected pair on the transport; Firefox marks it `selected`.
  const pair =
    pairs.get(selectedPairId) ??
    [...pairs.values()].find((p) => p.selected === true || (p.nominated === true && p.state === 'succeeded'));
  if (typeof pair?.currentRoundTripTime === 'number') rttMs = Math.round(pair.currentRoundTripTime * 1000);
  return { atMs, bytesReceived, packetsReceived, packetsLost, rttMs };
}

/** The quality between two samples: the worse of round trip and loss decides the level. */
export function qualityBetween(previous: StatsSample, current: StatsSample): Quality {
  const seconds = Math.max((current.atMs - previous.atMs) / 1000, 0.001);
  const received = Math.max(current.packetsReceived - previous.packetsReceived, 0);
  const lost = Math.max(current.packetsLost - previous.packetsLost, 0);
  const lossPercent = received + lost === 0 ? 0 : (100 * lost) / (received + lost);
  const kbps = Math.max(
    0,
    Math.round(((current.bytesReceived - previous.bytesReceived) * 8) / seconds / 1000),
  );
  const rtt = current.rttMs ?? 0;
  // No packets at all for a whole interval while connected: nothing is getting through.
  const level: QualityLevel =
    rtt >= POOR_RTT_MS || lossPercent >= POOR_LOSS_PERCENT || received === 0
      ? 'poor'
      : rtt >= FAIR_RTT_MS || lossPercent >= FAIR_LOSS_PERCENT
        ? 'fair'
        : 'good';
  return { level, rttMs: current.rttMs, lossPercent: Math.round(lossPercent * 10) / 10, kbps };
}
